package dev.plainsight.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowListener;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.WebSocketMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored flow replaced by a newer version of itself (a WebSocket flow's messages so far). */
class FlowUpdateTest {
  @TempDir Path dir;

  private static List<WebSocketMessage> chat(String... texts) {
    List<WebSocketMessage> messages = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      messages.add(new WebSocketMessage(Flows.T0.plusMillis(i), i % 2 == 0, "text",
          texts[i].length(), texts[i].getBytes(UTF_8), false));
    }
    messages.add(new WebSocketMessage(Flows.T0, false, "binary", 3, new byte[] {0, 1, -1}, false));
    return messages;
  }

  @Test
  void anUpdateIsSeenAtOnceHeardByListenersAndReadBackAfterAReopen() {
    long id;
    List<Flow> heard = new ArrayList<>();
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      store.addListener(new FlowListener() {
        @Override
        public void flowAdded(Flow flow) {}

        @Override
        public void flowUpdated(Flow flow) {
          heard.add(flow);
        }
      });
      Flow added = store.add(Flows.http("", "chat.test", "/chat", "ok"));
      id = added.id();
      store.update(added.withMessages(chat("hello")));
      store.update(added.withMessages(chat("hello", "echo: hello")));
      assertEquals(3, store.find(id).orElseThrow().messages().size(),
          "the newest version, at once");
      assertEquals(2, heard.size());
      assertEquals(3, store.query(FlowQuery.all()).flows().get(0).messages().size());
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow found = store.find(id).orElseThrow();
      assertEquals(List.of("hello", "echo: hello", "\0\1\uFFFD"), found.messages().stream()
          .map(m -> new String(m.payload(), UTF_8)).toList());
      assertArrayEquals(new byte[] {0, 1, -1}, found.messages().get(2).payload());
      assertEquals(Flows.T0.plusMillis(1), found.messages().get(1).at());
      assertEquals("ok", new String(found.response().body().captured(), UTF_8),
          "an update keeps the flow's bodies");
      Flow summary = store.query(FlowQuery.all()).flows().get(0);
      assertEquals(3, summary.messages().size(), "a page counts the messages");
      assertEquals(0, summary.messages().get(0).payload().length, "without their payloads");
      assertEquals(5, summary.messages().get(0).size());
    }
  }

  @Test
  void anUpdateOfAFlowAlreadyWrittenIsWrittenTooAndItsMessagesAreSearchable() {
    long id;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow added = store.add(Flows.http("", "chat.test", "/chat", "ok"));
      id = added.id();
      store.flush();
      store.update(added.withMessages(chat("the password is swordfish")));
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals(2, store.find(id).orElseThrow().messages().size());
      assertEquals(List.of(id), store.query(new FlowQuery(null, null, null, "swordfish", 10, 0))
          .flows().stream().map(Flow::id).toList());
    }
  }

  @Test
  void anUpdateForAnIdNeverGivenOutIsIgnored() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow added = store.add(Flows.http("", "chat.test", "/chat", "ok"));
      store.update(added.withId(added.id() + 100).withMessages(chat("x")));
      store.update(added.withId(0).withMessages(chat("x")));
      assertTrue(store.find(added.id() + 100).isEmpty());
      assertTrue(store.find(added.id()).orElseThrow().messages().isEmpty());
    }
  }
}
