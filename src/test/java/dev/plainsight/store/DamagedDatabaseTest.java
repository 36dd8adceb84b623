package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.FlowQuery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database with a damaged page in the middle is said at start, not served (issue 14.11): on
 * main it opened silently and then answered 500s for some flows while capture kept writing into
 * it. {@code --repair} moves it aside, whole, and starts anew.
 */
class DamagedDatabaseTest {
  @TempDir Path dir;

  @Test
  void aDatabaseWithADamagedPageIsRefusedNamingTheFileAndWhatToDo() throws IOException {
    Path file = damagedStore();

    DatabaseCheck.DamagedDatabase refused = assertThrows(DatabaseCheck.DamagedDatabase.class,
        () -> SqliteFlowStore.open(dir, StoreOptions.defaults()));

    assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
    assertTrue(refused.getMessage().contains("--repair"), refused.getMessage());
  }

  @Test
  void repairMovesTheDamagedFileAsideWholeAndTheStoreStartsAnew() throws IOException {
    Path file = damagedStore();
    byte[] damaged = Files.readAllBytes(file);

    Optional<Path> aside = DatabaseCheck.moveAsideIfDamaged(dir);

    assertTrue(aside.isPresent());
    assertTrue(Arrays.equals(damaged, Files.readAllBytes(aside.get())), "kept as it was");
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals(0, store.query(FlowQuery.all()).total());
    }
  }

  @Test
  void repairLeavesASoundDatabaseAlone() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      store.addWaiting(Flows.http(store.sessions().currentId(), "a.example", "/", "kept"));
    }

    assertEquals(Optional.empty(), DatabaseCheck.moveAsideIfDamaged(dir));
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals(1, store.query(FlowQuery.all()).total());
    }
  }

  /** A real store with 300 flows, closed, then garbage written over a page in the middle. */
  private Path damagedStore() throws IOException {
    Random random = new Random(7);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String session = store.sessions().currentId();
      for (int i = 0; i < 300; i++) {
        byte[] body = new byte[4096];
        random.nextBytes(body);
        store.addWaiting(Flows.binary(session, "h" + i + ".example", "/" + i, body));
      }
    }
    Path file = dir.resolve(Database.FILE);
    long pages = Files.size(file) / 4096;
    assertTrue(pages > 100, "a database of " + pages + " pages");
    byte[] garbage = new byte[4096];
    random.nextBytes(garbage);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(garbage), (pages / 2) * 4096);
    }
    return file;
  }
}
