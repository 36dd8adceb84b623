package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.store.SqliteFlowStore;
import dev.plainsight.store.StoreOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed's threads and bounds, on a real store on disk: encoding and sending happen on the
 * live executor after the commit, and a dashboard that does not take its messages is bounded.
 */
class LiveFeedThreadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void flowsAreEncodedAndSentOnTheLiveExecutorAfterTheirCommit() throws Exception {
    Set<String> encodedOn = ConcurrentHashMap.newKeySet();
    Set<String> sentOn = ConcurrentHashMap.newKeySet();
    LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults());
        LiveUpdates live = new LiveUpdates(JSON, BackgroundHosts.load(dir, JSON), flow -> {
          encodedOn.add(Thread.currentThread().getName());
          boolean committed = store.queuedCount() == 0; // the only flow left the writer's queue
          return flow.id() + (committed ? " committed" : " pending");
        })) {
      store.addCommittedListener(live);
      live.join("page", Access.TRAINER, new LiveOutbox.Socket() {
        @Override
        public void send(String text, Consumer<Throwable> done) {
          sentOn.add(Thread.currentThread().getName());
          sent.add(text);
          done.accept(null);
        }

        @Override
        public void disconnect() {}
      });
      Flow added = store.add(flow(1));
      String message = sent.poll(10, TimeUnit.SECONDS);
      assertEquals(added.id() + " committed", message, "sent after the commit");
      assertEquals(Set.of(LiveUpdates.THREAD), encodedOn);
      assertEquals(Set.of(LiveUpdates.THREAD), sentOn);
    }
  }

  @Test
  void aDashboardThatTakesNothingIsBoundedAndThenToldToResync() {
    List<Consumer<Throwable>> unwritten = new CopyOnWriteArrayList<>();
    List<String> texts = new CopyOnWriteArrayList<>();
    LiveOutbox outbox = new LiveOutbox(new LiveOutbox.Socket() {
      @Override
      public void send(String text, Consumer<Throwable> done) {
        texts.add(text);
        unwritten.add(done);
      }

      @Override
      public void disconnect() {}
    });
    for (int i = 0; i < 10_000; i++) {
      assertTrue(outbox.offer("flow " + i));
    }
    assertEquals(LiveOutbox.MAX_IN_FLIGHT, texts.size(), "at most this many in flight");
    assertTrue(outbox.behind());
    assertEquals(10_000 - LiveOutbox.MAX_IN_FLIGHT, outbox.dropped());
    for (Consumer<Throwable> done : new ArrayList<>(unwritten)) {
      done.accept(null);
    }
    assertEquals(LiveOutbox.RESYNC, texts.get(texts.size() - 1), "drained: one resync");
    assertEquals(LiveOutbox.MAX_IN_FLIGHT + 1, texts.size());
    assertFalse(outbox.behind());
    unwritten.get(unwritten.size() - 1).accept(null);
    assertTrue(outbox.offer("next"));
    assertEquals("next", texts.get(texts.size() - 1), "live again");
  }

  @Test
  void aFailedSendDisconnects() {
    LiveOutbox outbox = new LiveOutbox(new LiveOutbox.Socket() {
      @Override
      public void send(String text, Consumer<Throwable> done) {
        done.accept(new java.io.IOException("reset"));
      }

      @Override
      public void disconnect() {}
    });
    assertTrue(outbox.offer("one"));
    assertFalse(outbox.offer("two"), "the caller drops a dashboard whose socket failed");
  }

  private static Flow flow(int i) {
    return new FlowBuilder().session("").kind(FlowKind.HTTP).startedAt(Instant.now())
        .client("127.0.0.1:5000").method("GET").url("http://live.example/" + i)
        .host("live.example").port(80).status(200).build();
  }
}
