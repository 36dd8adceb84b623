package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plainsight.tamper.TamperRule;
import dev.plainsight.tamper.TamperRule.Part;
import dev.plainsight.tamper.TamperRule.Phase;
import dev.plainsight.tamper.TamperRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captured data on disk is readable by its owner only, files made before included. */
class OwnerOnlyFilesTest {
  static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void theDataDirectoryAndEveryFileInItAreOwnerOnly(@TempDir Path root) throws Exception {
    Path dir = root.resolve("data");
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path rulesFile = dir.resolve(TamperRules.FILE_NAME);
    Files.writeString(rulesFile, "[]");
    Files.setPosixFilePermissions(rulesFile, PosixFilePermissions.fromString("rw-r--r--"));
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      store.add(Flows.http(store.sessions().currentId(), "a.example", "/login", "password=x"));
      store.flush();
      assertEquals("rwx------", mode(dir));
      for (String name : List.of("plainsight.db", "plainsight.db-wal", "plainsight.db-shm")) {
        assertEquals("rw-------", mode(dir.resolve(name)), name);
      }
    }
    Files.setPosixFilePermissions(dir.resolve("plainsight.db"),
        PosixFilePermissions.fromString("rw-r--r--"));
    TamperRules rules = TamperRules.load(rulesFile);
    assertEquals("rw-------", mode(rulesFile), "an existing rules file is tightened at start");
    rules.replace(List.of(new TamperRule("r", true, "*", Phase.RESPONSE, Part.BODY, "a", "b",
        false)));
    assertEquals("rw-------", mode(rulesFile), "and stays so when saved again");
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals("rw-------", mode(dir.resolve("plainsight.db")), "tightened at start");
    }
  }
}
