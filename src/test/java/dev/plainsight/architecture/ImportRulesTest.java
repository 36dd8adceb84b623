package dev.plainsight.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports run downward, read from the sources of src/main: the model and the lower layers
 * ({@code flow}, {@code tls}, {@code ca}, {@code capture}, {@code store}) import nothing of
 * {@code proxy} or {@code dashboard}, and the dashboard reaches the store only through the
 * contracts of {@code flow} (no {@code store.Sqlite*}).
 */
class ImportRulesTest {
  private static final Path MAIN = Path.of("src/main/java/dev/plainsight");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?dev\\.plainsight\\.([\\w.]+?)(?:\\.\\*)?;",
          Pattern.MULTILINE);
  private static final List<String> LOWER = List.of("flow", "tls", "ca", "capture", "store");

  @Test
  void theLowerPackagesImportNeitherTheProxyNorTheDashboard() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (String lower : LOWER) {
      for (Import found : imports(lower)) {
        if (found.target().startsWith("proxy.") || found.target().startsWith("dashboard.")) {
          wrong.add(found.toString());
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void theDashboardUsesTheStoreOnlyThroughItsContracts() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Import found : imports("dashboard")) {
      if (found.target().startsWith("store.Sqlite")) {
        wrong.add(found.toString());
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void theRulesReadRealImports() throws IOException {
    assertTrue(imports("dashboard").stream().anyMatch(i -> i.target().equals("flow.FlowStore")),
        "the parser finds the dashboard's import of flow.FlowStore");
  }

  private record Import(Path file, String target) {
    @Override
    public String toString() {
      return MAIN.relativize(file) + " imports " + target;
    }
  }

  private static List<Import> imports(String pkg) throws IOException {
    List<Import> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          found.add(new Import(file, m.group(1)));
        }
      }
    }
    return found;
  }
}
