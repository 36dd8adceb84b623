package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.CapturedResponse;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.Header;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write queue, full because the writer is stuck, still takes a quiet client's flows. */
class FairSheddingTest {
  private static final String FLOOD = "10.0.0.66";
  private static final String QUIET = "10.0.0.7";

  @TempDir Path dir;

  @Test
  void aQuietClientsFlowsAreKeptWhileAFloodingClientFillsTheQueue() throws Exception {
    StoreOptions small = StoreOptions.defaults().withQueue(100, 64L * 1024 * 1024);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, small)) {
      CountDownLatch release = stickWriter(store);
      List<Long> quiet = new ArrayList<>();
      int floodKept = 0;
      for (int i = 0; i < 5000; i++) {
        if (store.add(flow(FLOOD + ":" + (40000 + i % 16), "/flood/" + i, "x")).id() != 0) {
          floodKept++;
        }
        if (i % 500 == 250) {
          quiet.add(store.add(flow(QUIET + ":5555", "/quiet/" + i, "q")).id());
        }
      }
      assertEquals(10, quiet.size());
      assertTrue(quiet.stream().allMatch(id -> id > 0), "every quiet flow is queued: " + quiet);
      assertTrue(floodKept <= 100 && floodKept >= 50, "the flood kept " + floodKept);
      assertEquals(5000 - floodKept, store.droppedCount());
      assertEquals(5000L - floodKept, store.droppedByClient(10).get(FLOOD));
      assertEquals(null, store.droppedByClient(10).get(QUIET));

      release.countDown();
      store.flush();
      for (long id : quiet) {
        assertTrue(store.find(id).isPresent(), "quiet flow " + id + " is stored");
      }
      assertEquals(1 + floodKept + quiet.size(), store.query(FlowQuery.all()).total());
    }
  }

  @Test
  void aQuietClientsBodiesAreKeptWhileAFloodingClientFillsTheQueuesBytes() throws Exception {
    StoreOptions small = StoreOptions.defaults().withQueue(10_000, 200_000);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, small)) {
      CountDownLatch release = stickWriter(store);
      String big = "b".repeat(20_000);
      for (int i = 0; i < 200; i++) {
        store.add(flow(FLOOD + ":40000", "/flood/" + i, big));
      }
      long quiet = store.add(flow(QUIET + ":5555", "/quiet", big)).id();
      assertTrue(quiet > 0);
      assertTrue(store.bodiesNotKeptCount() > 0, "the flood's bodies were shed");
      release.countDown();
      store.flush();
      Flow stored = store.find(quiet).orElseThrow();
      assertEquals(20_000, stored.response().body().captured().length, "the quiet body is kept");
    }
  }

  @Test
  void aLoneClientStillFillsThreeQuartersOfTheQueue() throws Exception {
    StoreOptions small = StoreOptions.defaults().withQueue(100, 64L * 1024 * 1024);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, small)) {
      CountDownLatch release = stickWriter(store);
      int kept = 0;
      for (int i = 0; i < 500; i++) {
        if (store.add(flow(FLOOD + ":40000", "/" + i, "x")).id() != 0) {
          kept++;
        }
      }
      assertTrue(kept >= 75, "a lone client keeps at least the high-water mark: " + kept);
      release.countDown();
    }
  }

  @Test
  void aClientIsChargedByItsAddressWithoutThePort() {
    assertEquals("10.0.0.7", PendingFlows.clientOf(flow("10.0.0.7:5555", "/", "")));
    assertEquals("10.0.0.7", PendingFlows.clientOf(flow("10.0.0.7", "/", "")));
    assertEquals("::1", PendingFlows.clientOf(flow("::1", "/", "")));
    assertEquals("::1", PendingFlows.clientOf(flow("[::1]:5555", "/", "")));
    assertEquals("", PendingFlows.clientOf(flow(null, "/", "")));
  }

  private static Flow flow(String client, String path, String text) {
    byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String url = "http://fair.example" + path;
    return new FlowBuilder()
        .session("")
        .kind(FlowKind.HTTP)
        .startedAt(Instant.now())
        .client(client)
        .method("GET")
        .url(url)
        .host("fair.example")
        .port(80)
        .status(200)
        .responseBytes(body.length)
        .request(new CapturedRequest("GET", url, "HTTP/1.1",
            List.of(new Header("Host", "fair.example")), Body.EMPTY))
        .response(new CapturedResponse(200, "OK", "HTTP/1.1", List.of(),
            new Body(body, body.length, false)))
        .build();
  }

  /** Makes the writer hang in its first commit, like a slow disk, until the latch is counted down. */
  private static CountDownLatch stickWriter(SqliteFlowStore store) throws InterruptedException {
    CountDownLatch writerStuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.addCommitListener(ids -> {
      writerStuck.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    store.add(flow("127.0.0.1:1", "/first", "first"));
    assertTrue(writerStuck.await(10, TimeUnit.SECONDS), "the writer is stuck, like a slow disk");
    return release;
  }
}
