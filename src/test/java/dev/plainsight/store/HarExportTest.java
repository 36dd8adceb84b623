package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.WebSocketMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarExportTest {
  @TempDir Path dir;

  private static final byte[] BINARY = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};

  private static Flow gzipped(Flow flow) throws IOException {
    byte[] body = SqliteFlowStoreTest.gzip("{\"animals\":[\"compressed giraffes\"]}");
    return Flows.withResponse(flow, body, List.of(new Header("Content-Type", "application/json"),
        new Header("Content-Encoding", "gzip")));
  }

  private static List<Flow> capture(SqliteFlowStore store) throws IOException {
    store.add(Flows.fullHttps(""));
    store.add(Flows.binary("", "img.example", "/pixel", BINARY));
    store.add(gzipped(Flows.http("", "zoo.example", "/animals", "")));
    store.add(Flows.tunnel("", "bank.example"));
    store.flush();
    List<Flow> flows = new ArrayList<>();
    store.forEachFlow(store.sessions().currentId(), flows::add);
    return flows;
  }

  private static JsonNode export(SqliteFlowStore store, String session) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HarExporter(store, "test").export(session, out);
    return FlowCodec.JSON.readTree(out.toByteArray());
  }

  @Test
  void aSessionExportsAsAHar12LogWithEveryRequiredField() throws IOException {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String other = store.sessions().currentId();
      store.add(Flows.http("", "other.example", "/", "not exported"));
      store.sessions().start("exported");
      capture(store);
      JsonNode log = export(store, "exported").get("log");

      assertEquals("1.2", log.get("version").asText());
      assertEquals("Plainsight", log.get("creator").get("name").asText());
      JsonNode entries = log.get("entries");
      assertEquals(4, entries.size(), "only the session's flows, not those of session " + other);
      for (JsonNode entry : entries) {
        assertTrue(entry.get("startedDateTime").isTextual());
        for (String field : List.of("method", "url", "httpVersion")) {
          assertTrue(entry.get("request").get(field).isTextual(), field);
        }
        for (String field : List.of("cookies", "headers", "queryString")) {
          assertTrue(entry.get("request").get(field).isArray(), field);
        }
        JsonNode response = entry.get("response");
        assertTrue(response.get("status").isInt());
        assertTrue(response.get("content").get("size").isNumber());
        assertTrue(response.get("content").get("mimeType").isTextual());
        assertTrue(response.get("redirectURL").isTextual());
        assertTrue(entry.get("cache").isObject());
        JsonNode timings = entry.get("timings");
        long sum = 0;
        for (String step : List.of("blocked", "dns", "connect", "send", "wait", "receive")) {
          assertTrue(timings.get(step).isNumber(), step);
          sum += Math.max(0, timings.get(step).asLong());
        }
        for (String step : List.of("send", "wait", "receive")) {
          assertTrue(timings.get(step).asLong() >= 0, step + " may not be -1");
        }
        assertEquals(sum, entry.get("time").asLong(), "time is the sum of the timings");
        assertTrue(entry.get("_plainsight").get("kind").isTextual());
      }

      JsonNode login = entries.get(0);
      assertEquals("https-decrypted", login.get("_plainsight").get("kind").asText());
      assertEquals("shop.example", login.get("_plainsight").get("tls").get("sni").asText());
      assertEquals("TLSv1.3", login.get("_plainsight").get("tls").get("version").asText());
      assertEquals(21, login.get("timings").get("ssl").asLong());
      assertEquals(26, login.get("timings").get("connect").asLong(), "HAR's connect includes TLS");
      assertEquals("{\"user\":\"alice\",\"password\":\"hunter2\"}",
          login.get("request").get("postData").get("text").asText());
      assertEquals("next", login.get("request").get("queryString").get(0).get("name").asText());
      assertEquals("/basket", login.get("request").get("queryString").get(0).get("value").asText());
      assertEquals("sessionid", login.get("request").get("cookies").get(0).get("name").asText());
      assertEquals("def456", login.get("response").get("cookies").get(0).get("value").asText());
      assertTrue(login.get("_plainsight").get("responseBody").get("truncated").asBoolean());

      JsonNode content = entries.get(1).get("response").get("content");
      assertEquals("base64", content.get("encoding").asText());
      assertEquals(Base64.getEncoder().encodeToString(BINARY), content.get("text").asText());

      JsonNode zipped = entries.get(2).get("response").get("content");
      assertEquals("{\"animals\":[\"compressed giraffes\"]}", zipped.get("text").asText(),
          "content.text holds the body with its coding undone");
      assertFalse(zipped.has("encoding"));

      JsonNode tunnel = entries.get(3);
      assertEquals("https-tunnel", tunnel.get("_plainsight").get("kind").asText());
      assertEquals("https://bank.example/", tunnel.get("request").get("url").asText());
      assertEquals(0, tunnel.get("response").get("status").asInt());
    }
  }

  @Test
  void exportThenImportGivesBackTheSameFlows() throws Exception {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      List<Flow> original = capture(store);
      ByteArrayOutputStream har = new ByteArrayOutputStream();
      new HarExporter(store, "test").export(store.sessions().currentId(), har);

      HarImportResult result = new HarImporter(store)
          .importHar(new ByteArrayInputStream(har.toByteArray()), "round trip");
      assertEquals(4, result.flows());
      assertEquals("Plainsight test", result.creator());
      List<Flow> imported = new ArrayList<>();
      store.forEachFlow(result.session().id(), imported::add);
      assertEquals(original.size(), imported.size());
      for (int i = 0; i < original.size(); i++) {
        Flow want = original.get(i).withId(0).withSession("");
        Flow got = imported.get(i).withId(0).withSession("");
        assertEquals(FlowCodec.JSON.writeValueAsString(want),
            FlowCodec.JSON.writeValueAsString(got), "flow " + i);
      }
    }
  }

  @Test
  void exportingAnUnknownSessionSaysSo() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new HarExporter(store, "test").export("nope", new ByteArrayOutputStream()));
      assertEquals("no session nope", e.getMessage());
    }
  }

  @Test
  void aWebSocketFlowExportsItsMessagesAsChromeDoesAndImportsBackWhole() throws Exception {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow chat = store.add(Flows.http("", "chat.example", "/chat", ""));
      store.update(chat.withMessages(List.of(
          new WebSocketMessage(Flows.T0, true, "text", 2, Flows.utf8("hi"), false),
          new WebSocketMessage(Flows.T0.plusMillis(250), false, "binary", 2, new byte[] {1, 2},
              false))));
      store.flush();
      ByteArrayOutputStream har = new ByteArrayOutputStream();
      new HarExporter(store, "test").export(store.sessions().currentId(), har);

      JsonNode entry = FlowCodec.JSON.readTree(har.toByteArray()).get("log").get("entries").get(0);
      assertEquals("websocket", entry.get("_resourceType").asText());
      JsonNode messages = entry.get("_webSocketMessages");
      assertEquals("send", messages.get(0).get("type").asText());
      assertEquals(1, messages.get(0).get("opcode").asInt());
      assertEquals("hi", messages.get(0).get("data").asText());
      assertEquals(Flows.T0.getEpochSecond() + 0.373456789, messages.get(1).get("time").asDouble(),
          1e-6);
      assertEquals("receive", messages.get(1).get("type").asText());
      assertEquals(2, messages.get(1).get("opcode").asInt());
      assertEquals("AQI=", messages.get(1).get("data").asText());

      HarImportResult result = new HarImporter(store)
          .importHar(new ByteArrayInputStream(har.toByteArray()), "round trip");
      List<Flow> imported = new ArrayList<>();
      store.forEachFlow(result.session().id(), imported::add);
      assertEquals(List.of("text", "binary"),
          imported.get(0).messages().stream().map(WebSocketMessage::type).toList());
      assertEquals(Flows.T0.plusMillis(250), imported.get(0).messages().get(1).at());
    }
  }
}
