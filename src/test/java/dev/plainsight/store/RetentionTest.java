package dev.plainsight.store;

import dev.plainsight.flow.StoredSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.FlowQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  @TempDir Path dir;

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private static List<String> names(SqliteFlowStore store) {
    return store.sessions().list().stream().map(StoredSession::name).toList();
  }

  @Test
  void tooManySessionsDropsTheOldestButNeverTheCurrent() throws InterruptedException {
    StoreOptions options = StoreOptions.defaults().withRetention(0, 2)
        .withRetentionInterval(Duration.ofMillis(20));
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, options.withSessionName("monday"))) {
      store.add(Flows.http("", "mon.example", "/", "monday's body"));
      store.sessions().start("tuesday");
      store.add(Flows.http("", "tue.example", "/", "tuesday's body"));
      store.sessions().start("wednesday");
      store.add(Flows.http("", "wed.example", "/", "wednesday's body"));
      await(() -> names(store).equals(List.of("tuesday", "wednesday")), "monday is dropped");
      store.flush();
      assertEquals(2, store.query(FlowQuery.all()).total());
      assertEquals(0, store.query(new FlowQuery(null, null, "mon.example", null, 10, 0)).total());
    }
    assertEquals(0, Db.count(dir,
        "SELECT count(*) FROM bodies WHERE data = CAST('monday''s body' AS BLOB)"));
    assertEquals(2, Db.count(dir, "SELECT count(*) FROM bodies"));
  }

  @Test
  void tooMuchDataDropsTheOldestSessionsFirst() throws InterruptedException {
    StoreOptions options = StoreOptions.defaults().withRetention(2_500_000, 0)
        .withRetentionInterval(Duration.ofMillis(20));
    Random random = new Random(7);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, options.withSessionName("first"))) {
      for (String session : List.of("first", "second", "third")) {
        store.sessions().start(session);
        for (int i = 0; i < 40; i++) {
          byte[] noise = new byte[25_000];
          random.nextBytes(noise);
          store.add(Flows.binary("", session + ".example", "/" + i, noise));
        }
        store.flush();
      }
      await(() -> names(store).equals(List.of("second", "third")), "first is dropped");
      store.flush();
      assertTrue(store.dataBytes() <= 2_500_000, "data now " + store.dataBytes());
      assertEquals(80, store.query(FlowQuery.all()).total());
      assertEquals(0, store.query(new FlowQuery(null, null, "first.example", null, 10, 0)).total());
    }
  }
}
