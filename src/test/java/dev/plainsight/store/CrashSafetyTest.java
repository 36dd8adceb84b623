package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during heavy capture: a child JVM writes flows as fast as it can and reports each
 * commit; it is killed without warning twice; every flow it reported committed must be there,
 * whole, and the database must pass SQLite's integrity check.
 */
class CrashSafetyTest {
  @TempDir Path dir;

  @Test
  void killingTheProcessMidBurstLosesNothingCommitted() throws Exception {
    Set<Long> committed = ConcurrentHashMap.newKeySet();
    for (int round = 0; round < 2; round++) {
      int before = committed.size();
      runAndKill(committed, before + 3000);
      assertTrue(committed.size() >= before + 3000, "the child committed flows before the kill");
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      for (long id : committed) {
        Flow flow = store.find(id).orElseThrow(() -> new AssertionError("flow " + id + " lost"));
        assertEquals("crash.example", flow.host());
        String body = new String(flow.response().body().captured(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("payload ") && body.length() > 2048, "flow " + id + " whole");
      }
    }
    assertEquals("ok", Db.text(dir, "PRAGMA integrity_check"));
  }

  private void runAndKill(Set<Long> committed, int atLeast) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath,
        CrashWriterMain.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Thread reader = new Thread(() -> read(child, committed));
    reader.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (committed.size() < atLeast && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(child.isAlive(), "the child is still writing when it is killed");
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
  }

  private static void read(Process child, Set<Long> committed) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("committed ") && line.endsWith(" end")) {
          String ids = line.substring("committed ".length(), line.length() - " end".length());
          for (String id : List.of(ids.split(","))) {
            committed.add(Long.parseLong(id));
          }
        }
      }
    } catch (IOException e) {
      // the child died: what was read is what counts
    }
  }
}
