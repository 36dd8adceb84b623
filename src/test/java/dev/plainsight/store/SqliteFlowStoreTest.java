package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.plainsight.flow.Body;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowPage;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.Header;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteFlowStoreTest {
  @TempDir Path dir;

  private static String json(Flow flow) {
    try {
      return FlowCodec.JSON.writeValueAsString(flow);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Long> ids(FlowPage page) {
    return page.flows().stream().map(Flow::id).toList();
  }

  private static List<Long> reversed(List<Long> ids) {
    List<Long> copy = new ArrayList<>(ids);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static FlowQuery text(String text) {
    return new FlowQuery(null, null, null, text, 100, 0);
  }

  @Test
  void aFullFlowComesBackWholeAfterARestart() {
    Flow original = Flows.fullHttps("");
    Flow added;
    String session;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      added = store.add(original);
      session = store.sessions().currentId();
      assertEquals(session, added.session(), "the flow is filed under the current session");
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow found = store.find(added.id()).orElseThrow();
      assertEquals(json(original.withId(added.id()).withSession(session)), json(found));
      assertEquals(5000, found.response().body().size());
      assertTrue(found.response().body().truncated());
    }
  }

  @Test
  void aSecondStoreOnTheSameDataDirectoryIsRefusedWithAClearMessage() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
          () -> SqliteFlowStore.open(dir, StoreOptions.defaults()));
      assertTrue(e.getMessage().contains("in use by another Plainsight"), e.getMessage());
      assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
    }
    SqliteFlowStore.open(dir, StoreOptions.defaults()).close();
  }

  @Test
  void listenersHearOfEachFlowAtOnceWithItsId() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      List<Flow> heard = new ArrayList<>();
      store.addListener(heard::add);
      Flow added = store.add(Flows.http("", "a.example", "/", "x"));
      assertEquals(List.of(added.id()), heard.stream().map(Flow::id).toList());
      assertTrue(added.id() > 0);
    }
  }

  @Test
  void idsKeepGrowingAcrossRestartsEvenAfterDeletions() {
    long last;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String old = store.sessions().currentId();
      store.add(Flows.http("", "a.example", "/1", "one"));
      last = store.add(Flows.http("", "a.example", "/2", "two")).id();
      store.sessions().start("second");
      store.sessions().delete(old);
      store.flush();
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals(last + 1, store.add(Flows.http("", "b.example", "/", "x")).id());
    }
  }

  @Test
  void queriesAreNewestFirstWithTheTotalAndPages() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      List<Long> added = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        added.add(store.add(Flows.http("", "h" + i + ".example", "/" + i, "body " + i)).id());
      }
      store.flush();
      FlowPage first = store.query(new FlowQuery(null, null, null, null, 10, 0));
      assertEquals(25, first.total());
      assertEquals(reversed(added.subList(15, 25)), ids(first));
      FlowPage last = store.query(new FlowQuery(null, null, null, null, 10, 20));
      assertEquals(reversed(added.subList(0, 5)), ids(last));
      assertTrue(last.flows().stream().allMatch(f -> f.response().body().captured().length == 0),
          "pages leave body bytes out");
      assertEquals("body 0".length(), last.flows().get(4).response().body().size());
    }
  }

  @Test
  void queriesFilterBySessionKindAndHost() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String first = store.sessions().currentId();
      store.add(Flows.http("", "api.shop.example", "/a", "a"));
      store.add(Flows.tunnel("", "bank.example"));
      String second = store.sessions().start("afternoon").id();
      store.add(Flows.http("", "cdn.example", "/b", "b"));
      store.add(Flows.fullHttps(""));
      store.flush();

      assertEquals(2, store.query(new FlowQuery(first, null, null, null, 100, 0)).total());
      assertEquals(2, store.query(new FlowQuery(second, null, null, null, 100, 0)).total());
      assertEquals(2, store.query(new FlowQuery("afternoon", null, null, null, 100, 0)).total(),
          "a session can be named too");
      assertEquals(0, store.query(new FlowQuery("no such", null, null, null, 100, 0)).total());
      assertEquals(1, store.query(
          new FlowQuery(null, FlowKind.HTTPS_TUNNEL, null, null, 100, 0)).total());
      FlowPage shop = store.query(new FlowQuery(null, null, "SHOP.example", null, 100, 0));
      assertEquals(2, shop.total(), "host matches a part of the name, in any case");
      assertEquals(1, store.query(
          new FlowQuery(second, FlowKind.HTTP, "example", null, 100, 0)).total());
      assertEquals(1, store.query(new StoreQuery(FlowQuery.all(), "post", 200, 299, null)).total());
      assertEquals(0, store.query(new StoreQuery(FlowQuery.all(), null, 500, null, null)).total());
      assertEquals(1, store.query(
          new StoreQuery(FlowQuery.all(), null, null, null, "127.0.0.1:40001")).total());
    }
  }

  @Test
  void fullTextFindsUrlsHeadersAndTextBodiesButNotBinaryOnes() throws IOException {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      long login = store.add(Flows.fullHttps("")).id();
      long plain = store.add(Flows.http("", "news.example", "/today", "Quantum kittens")).id();
      long zipped = store.add(withBody(Flows.http("", "z.example", "/z", ""),
          gzip("compressed giraffes"), List.of(new Header("Content-Type", "text/plain"),
              new Header("Content-Encoding", "gzip")))).id();
      store.add(withBody(Flows.http("", "bin.example", "/b", ""), Flows.utf8("zebra zebra"),
          List.of(new Header("Content-Type", "image/png"))));
      store.flush();

      assertEquals(List.of(login), ids(store.query(text("hunter2"))), "request body");
      assertEquals(List.of(login), ids(store.query(text("welcome back"))), "response body");
      assertEquals(List.of(login), ids(store.query(text("sessionid=abc123"))), "header");
      assertEquals(List.of(login), ids(store.query(text("api/log"))), "URL, last word a prefix");
      assertEquals(List.of(plain), ids(store.query(text("KITTENS"))), "any case");
      assertEquals(List.of(zipped), ids(store.query(text("giraffes"))), "gzip undone");
      assertEquals(0, store.query(text("zebra")).total(), "binary bodies are not text");
      assertEquals(List.of(plain), ids(store.query(text("/today"))));
      assertEquals(3, store.query(text("curl")).total(), "the user agent of the three GETs");
      assertEquals(List.of(plain), ids(store.query(text("//news.example/"))));
      assertEquals(0, store.query(text("\"")).total(), "quotes cannot break the query");
      assertEquals(1, store.query(new FlowQuery(null, FlowKind.HTTPS_DECRYPTED, null, "alice",
          100, 0)).total());
    }
  }

  @Test
  void identicalBodiesAreStoredOnce() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      for (int i = 0; i < 50; i++) {
        store.add(Flows.http("", "cdn.example", "/logo.svg?v=" + i, "<svg>same logo</svg>"));
      }
      store.flush();
      assertEquals(50, store.query(FlowQuery.all()).total());
    }
    assertEquals(1, Db.count(dir, "SELECT count(*) FROM bodies"));
    assertEquals(50, Db.count(dir, "SELECT refs FROM bodies"));
  }

  @Test
  void pastTheQueuesByteBoundAFlowIsKeptWithoutItsBodyBytes() throws Exception {
    StoreOptions small = StoreOptions.defaults().withQueue(100, 3L * 1024 * 1024);
    byte[] mebibyte = new byte[1024 * 1024];
    Arrays.fill(mebibyte, (byte) 'x');
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, small)) {
      CountDownLatch release = stickWriter(store);

      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(store.add(Flows.binary("", "big.example", "/big/" + i, mebibyte)).id());
      }
      assertTrue(ids.stream().allMatch(id -> id != 0), "every flow is kept: " + ids);
      assertEquals(0, store.droppedCount());
      assertEquals(3, store.bodiesNotKeptCount(), "two mebibytes fit under the 3 MiB bound");

      release.countDown();
      store.flush();
      Body whole = store.find(ids.get(0)).orElseThrow().response().body();
      assertEquals(1024 * 1024, whole.captured().length);
      assertFalse(whole.truncated());
      Body shed = store.find(ids.get(4)).orElseThrow().response().body();
      assertEquals(0, shed.captured().length);
      assertEquals(1024 * 1024, shed.size(), "the size is still known");
      assertTrue(shed.truncated(), "and the body says it was not kept whole");
    }
  }

  @Test
  void aBulkLoadWaitsForRoomAndKeepsEveryBodyWhole() throws Exception {
    StoreOptions small = StoreOptions.defaults().withQueue(100, 3L * 1024 * 1024 / 2);
    byte[] mebibyte = new byte[1024 * 1024];
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, small)) {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        mebibyte[0] = (byte) i;
        ids.add(store.addWaiting(Flows.binary("", "import.example", "/" + i, mebibyte.clone())).id());
      }
      store.flush();
      assertEquals(0, store.bodiesNotKeptCount());
      for (long id : ids) {
        Body body = store.find(id).orElseThrow().response().body();
        assertEquals(1024 * 1024, body.captured().length, "flow " + id);
        assertFalse(body.truncated());
      }
    }
  }

  @Test
  void addNeverWaitsForTheDiskAndCountsWhatItDropsWhenTheQueueIsFull() throws Exception {
    StoreOptions small = StoreOptions.defaults().withQueue(20, 64L * 1024 * 1024);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, small)) {
      CountDownLatch release = stickWriter(store);

      long start = System.nanoTime();
      int kept = 0;
      for (int i = 0; i < 500; i++) {
        if (store.add(Flows.http("", "burst.example", "/" + i, "x")).id() != 0) {
          kept++;
        }
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(elapsedMs < 2000, "500 adds took " + elapsedMs + " ms with the writer stuck");
      // one client fills the queue up to its high-water mark (3/4); the rest is kept for others
      assertEquals(15, kept, "one client holds 15 of the queue's 20 places");
      assertEquals(485, store.droppedCount());
      assertEquals(16, store.query(FlowQuery.all()).total(), "queued flows are visible already");

      release.countDown();
      store.flush();
      assertEquals(16, store.query(FlowQuery.all()).total());
      assertEquals(0, store.queuedCount());
    }
  }

  @Test
  void flowsNotYetWrittenAreFoundAndListedFirst() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      long written = store.add(Flows.http("", "old.example", "/", "old")).id();
      store.flush();
      store.addCommitListener(ids -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      store.add(Flows.http("", "block.example", "/", "the writer blocks after this one"));
      Thread.sleep(300);
      long waiting = store.add(Flows.http("", "new.example", "/", "new")).id();
      assertTrue(store.queuedCount() >= 1);
      assertEquals("new.example", store.find(waiting).orElseThrow().host());
      FlowPage page = store.query(FlowQuery.all());
      assertEquals(3, page.total());
      assertEquals(waiting, page.flows().get(0).id());
      assertEquals(written, page.flows().get(2).id());
      assertEquals(List.of(written), ids(store.query(new FlowQuery(null, null, null, null, 1, 2))));
      assertEquals(List.of(waiting), ids(store.query(text("new.example"))));
      release.countDown();
    }
  }

  private static Flow withBody(Flow flow, byte[] bytes, List<Header> headers) {
    return Flows.withResponse(flow, bytes, headers);
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(Flows.utf8(text));
    }
    return out.toByteArray();
  }

  /**
   * Makes the store's writer hang in its first commit, like a slow disk; counting the returned
   * latch down lets it go on.
   */
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
    store.add(Flows.http("", "first.example", "/", "first"));
    assertTrue(writerStuck.await(10, TimeUnit.SECONDS), "the writer is stuck, like a slow disk");
    return release;
  }
}
