package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HarImportTest {
  @TempDir Path dir;

  private static InputStream fixture(String name) {
    InputStream in = HarImportTest.class.getResourceAsStream("/store/" + name);
    if (in == null) {
      throw new AssertionError("missing fixture " + name);
    }
    return in;
  }

  private static List<Flow> flows(SqliteFlowStore store, HarImportResult result) {
    List<Flow> flows = new ArrayList<>();
    store.forEachFlow(result.session().id(), flows::add);
    return flows;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void aChromiumDevtoolsHarImportsIntoANewSession() throws Exception {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String current = store.sessions().currentId();
      HarImportResult result;
      try (InputStream in = fixture("chromium.har")) {
        result = new HarImporter(store).importHar(in, null);
      }
      assertEquals("WebInspector 537.36", result.creator());
      assertEquals(4, result.flows());
      assertEquals(4, result.session().flowCount());
      assertTrue(result.session().name().startsWith("HAR import "));
      assertEquals(current, store.sessions().currentId(), "an import does not switch sessions");

      List<Flow> flows = flows(store, result);
      Flow page = flows.get(0);
      assertEquals(FlowKind.HTTPS_DECRYPTED, page.kind());
      assertEquals("shop.example", page.host());
      assertEquals(443, page.port());
      assertEquals(Instant.parse("2026-02-11T14:02:11.530Z"), page.startedAt());
      assertEquals(118, page.durationMs());
      assertEquals(":authority", page.request().headers().get(0).name());
      byte[] wire = page.response().body().captured();
      assertEquals(0x1f, wire[0] & 0xff, "HAR text is decoded; gzip is redone to match headers");
      try (GZIPInputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(wire))) {
        assertTrue(text(gunzip.readAllBytes()).contains("Welcome to the shop"));
      }
      assertEquals(11L, page.timings().dnsMs());
      assertEquals(31L, page.timings().tlsUpstreamMs());
      assertEquals(18L, page.timings().connectMs(), "HAR's connect includes the TLS time");

      byte[] png = flows.get(1).response().body().captured();
      assertEquals(70, png.length);
      assertEquals(0x89, png[0] & 0xff);

      Flow login = flows.get(2);
      assertEquals("POST", login.method());
      assertEquals(401, login.status());
      assertEquals("{\"user\":\"alice\",\"password\":\"correct horse\"}",
          text(login.request().body().captured()));

      Flow failed = flows.get(3);
      assertEquals(FlowKind.ERROR, failed.kind());
      assertEquals("net::ERR_NAME_NOT_RESOLVED", failed.error());
      assertNull(failed.response());
      assertNull(failed.status());

      assertEquals(1, store.query(new FlowQuery(result.session().id(), null, null,
          "correct horse", 10, 0)).total(), "imported flows are searchable");
    }
  }

  @Test
  void aFirefoxHarImports() throws Exception {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      HarImportResult result;
      try (InputStream in = fixture("firefox.har")) {
        result = new HarImporter(store).importHar(in, "firefox lab");
      }
      assertEquals("firefox lab", result.session().name());
      List<Flow> flows = flows(store, result);
      assertEquals(3, flows.size());
      Flow search = flows.get(0);
      assertEquals(FlowKind.HTTP, search.kind());
      assertEquals(Instant.parse("2026-02-11T14:20:03.118Z"), search.startedAt(),
          "the +01:00 offset is kept");
      assertEquals(360, search.responseBytes());
      assertTrue(text(search.response().body().captured()).contains("Nothing here is encrypted"));
      Flow comment = flows.get(1);
      assertEquals("name=bob&text=hello+world", text(comment.request().body().captured()));
      assertEquals(303, comment.status());
      assertEquals("See Other", comment.response().reason());
      assertArrayEquals(Base64.getDecoder().decode("AAABAAEA"),
          flows.get(2).response().body().captured());
      assertEquals(FlowKind.HTTPS_DECRYPTED, flows.get(2).kind());
    }
  }

  @Test
  void aMitmproxyHarImports() throws Exception {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      HarImportResult result;
      try (InputStream in = fixture("mitmproxy.har")) {
        result = new HarImporter(store).importHar(in, null);
      }
      assertEquals("mitmproxy exporthar 0.1", result.creator());
      List<Flow> flows = flows(store, result);
      assertEquals(3, flows.size());
      Flow forecast = flows.get(0);
      assertEquals("api.weather.example", forecast.host());
      try (InflaterInputStream inflate = new InflaterInputStream(
          new ByteArrayInputStream(forecast.response().body().captured()))) {
        assertTrue(text(inflate.readAllBytes()).contains("celsius"), "deflate redone");
      }
      assertEquals(19L, forecast.timings().tlsUpstreamMs());
      Flow upload = flows.get(1);
      assertNull(upload.timings().connectMs(), "mitmproxy's null timings mean 'did not happen'");
      assertArrayEquals(new byte[] {'h', 'i', 0, 1, 2}, upload.request().body().captured());
      Flow expired = flows.get(2);
      assertEquals(FlowKind.ERROR, expired.kind());
      assertTrue(expired.error().contains("certificate has expired"));
    }
  }

  static Stream<Arguments> hostileHars() {
    String deep = "[".repeat(5000);
    return Stream.of(
        Arguments.of("", "does not start with a JSON object"),
        Arguments.of("[1,2,3]", "does not start with a JSON object"),
        Arguments.of("{}", "no \"log\" object"),
        Arguments.of("{\"log\": []}", "\"log\" must be an object"),
        Arguments.of("{\"log\": {\"version\": \"1.2\"}}", "no \"entries\" array"),
        Arguments.of("{\"log\": {\"entries\": {}}}", "\"log.entries\" must be an array"),
        Arguments.of("{\"log\": {\"entries\": [42]}}", "entry 0: an entry must be an object"),
        Arguments.of(entry("\"response\": {\"status\": \"abc\"}"),
            "entry 0: response.status must be a whole number from 0 to 999, not \"abc\""),
        Arguments.of(entry("\"response\": {\"status\": 1e400}"), "response.status must be"),
        Arguments.of(entry("\"response\": {\"status\": 123456789012345678901234567890}"),
            "response.status must be"),
        Arguments.of(entry("\"response\": {\"status\": -5}"), "response.status must be"),
        Arguments.of(entry("\"time\": 1e300"), "time must be a number of milliseconds"),
        Arguments.of(entry("\"time\": \"fast\""), "time must be a number of milliseconds"),
        Arguments.of(entry("\"startedDateTime\": \"yesterday\""), "an ISO 8601 date"),
        Arguments.of(entry("\"response\": {\"status\": 200, \"headers\": \"x\"}"),
            "response.headers must be an array"),
        Arguments.of(entry("\"response\": {\"status\": 200, \"headers\": [{\"value\": \"v\"}]}"),
            "response.headers[0].name must be a header name"),
        Arguments.of(entry("\"response\": {\"status\": 200, \"headers\": [], \"content\":"
            + " {\"text\": \"%%%\", \"encoding\": \"base64\"}}"), "must be valid base64"),
        Arguments.of(entry("\"response\": {\"status\": 200, \"headers\": [], \"content\":"
            + " {\"text\": \"x\", \"encoding\": \"rot13\"}}"), "unknown encoding \"rot13\""),
        Arguments.of("{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\"}}]}}",
            "entry 0: request.url is missing"),
        Arguments.of(entry("\"_plainsight\": {\"kind\": \"carrier-pigeon\"}"),
            "_plainsight.kind must be one of"),
        Arguments.of(entry("\"_plainsight\": {\"kind\": \"http\", \"port\": \"eighty\"}"),
            "entry 0: _plainsight is not a valid Plainsight flow"),
        Arguments.of("{\"log\": {\"entries\": [" + deep, "nesting depth (65) exceeds"),
        Arguments.of("{\"log\": {\"entries\": [{\"request\": {\"url\": \"http://a/\"",
            "not valid JSON"),
        Arguments.of("{\"log\": {\"entries\": [], \"x\": " + "9".repeat(2000) + "}}",
            "goes past a safety limit: Number value length (2000)"),
        Arguments.of("\u0089PNG\r\n\u001a\n", "not valid JSON"),
        Arguments.of(entry("\"response\": {\"status\": 200, \"headers\": ["
            + "{\"name\": \"x\", \"value\": \"v\"},".repeat(1000) + "{\"name\": \"y\"}]}"),
            "entry 0: response.headers has more than 1000 headers (the limit per message)"),
        Arguments.of("{\"log\": {\"entries\": [{\"request\": {\"url\": \"http://a/\", "
            + "\"cookies\": [" + "{\"name\": \"c\", \"value\": \"v\"},".repeat(1000)
            + "{\"name\": \"d\"}]}}]}}",
            "entry 0: request.cookies has more than 1000 cookies (the limit per message)"),
        Arguments.of(entry("\"_x\": [" + "1,".repeat(200_000) + "1]"),
            "entry 0: more than 200000 JSON values in one entry"));
  }

  @Test
  void aMessageWithMoreTextThanItsLimitIsRefusedNamingTheLimit() throws Exception {
    String big = "v".repeat(800_000);
    String har = entry("\"response\": {\"status\": 200, \"headers\": ["
        + ("{\"name\": \"x\", \"value\": \"" + big + "\"},").repeat(2)
        + "{\"name\": \"x\", \"value\": \"" + big + "\"}]}");
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      HarFormatException e = assertThrows(HarFormatException.class, () -> new HarImporter(store,
          1000).importHar(new ByteArrayInputStream(har.getBytes(StandardCharsets.UTF_8)), null));
      assertTrue(e.getMessage().contains("entry 0: the response holds more than 2048576 "
          + "characters of text (the limit per message)"), e.getMessage());
    }
  }

  private static String entry(String fields) {
    return "{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\","
        + " \"url\": \"http://a.example/\"}," + fields + "}]}}";
  }

  @ParameterizedTest
  @MethodSource("hostileHars")
  void hostileHarsAreRefusedWithAClearMessageAndLeaveNothingBehind(String har, String message)
      throws Exception {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      int before = store.sessions().list().size();
      HarFormatException e = assertThrows(HarFormatException.class, () -> new HarImporter(store)
          .importHar(new ByteArrayInputStream(har.getBytes(StandardCharsets.UTF_8)), null));
      assertTrue(e.getMessage().contains(message), e.getMessage());
      assertEquals(before, store.sessions().list().size(), "no half-imported session is left");
      store.flush();
      assertEquals(0, store.query(FlowQuery.all()).total());
    }
  }

  @Test
  void anEmptyHarMakesAnEmptySession() throws HarFormatException, IOException {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      HarImportResult result = new HarImporter(store).importHar(new ByteArrayInputStream(
          "{\"log\": {\"version\": \"1.2\", \"entries\": []}}".getBytes(StandardCharsets.UTF_8)),
          "empty");
      assertEquals(0, result.flows());
      assertEquals("empty", result.session().name());
    }
  }
}
