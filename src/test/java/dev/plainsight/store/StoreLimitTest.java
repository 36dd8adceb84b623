package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLimitTest {
  @TempDir Path dir;

  @Test
  void theDefaultLimitIsAQuarterOfTheFreeDiskOfTheDataDirsFileSystem() throws Exception {
    long free = Files.getFileStore(dir).getUsableSpace();
    long limit = StoreLimit.resolve(StoreLimit.AUTO, dir.resolve("not/made/yet"));
    assertTrue(Math.abs(limit - free / 4) < 64L * 1024 * 1024, limit + " vs " + free);
    String line = StoreLimit.describe(StoreLimit.AUTO, limit);
    assertTrue(line.contains("a quarter of the free disk; --max-data-size to change"), line);
  }

  @Test
  void anExplicitLimitOrZeroIsKept() {
    assertEquals(500_000_000L, StoreLimit.resolve(500_000_000L, dir));
    assertEquals(0, StoreLimit.resolve(0, dir));
    assertTrue(StoreLimit.describe(0, 0).startsWith("none"));
    assertEquals("500.0 MB (--max-data-size)", StoreLimit.describe(500_000_000L, 500_000_000L));
  }
}
