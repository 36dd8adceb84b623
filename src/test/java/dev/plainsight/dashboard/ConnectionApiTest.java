package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flow names the client connection it came on: requests kept alive on one connection share its
 * id, a new connection gets a new one, {@code /api/connections/{id}} lists the connection's flows
 * and says how it was handled, and a HAR round trip keeps the grouping. Real curl, real origins.
 */
class ConnectionApiTest {
  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer http;
  static OriginServer https;
  static RunningPlainsight plainsight;
  static Path originCa;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Connection CA");
    http = OriginServer.http();
    https = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"));
    originCa = pki.writeCaPem(dir);
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    http.close();
    https.close();
  }

  @Test
  void twoRequestsOnOneKeptAliveConnectionShareItAndANewConnectionGetsANewOne() throws Exception {
    String first = https.url("/hello?keep=1");
    String second = https.url("/hello?keep=2");
    String third = https.url("/hello?keep=3");
    curl("--cacert", plainsight.caPem().toString(), first, second);
    curl("--cacert", plainsight.caPem().toString(), third);
    Flow one = plainsight.awaitFlow(f -> first.equals(f.url()));
    Flow two = plainsight.awaitFlow(f -> second.equals(f.url()));
    Flow three = plainsight.awaitFlow(f -> third.equals(f.url()));
    assertNotNull(one.connection());
    assertEquals(one.connection(), two.connection(), "one kept-alive connection");
    assertNotEquals(one.connection(), three.connection(), "a new connection");

    JsonNode summary = plainsight.api("/api/flows?limit=500").json();
    assertEquals(one.connection().longValue(), flowIn(summary, one.id()).path("connection").asLong());
    assertEquals(one.connection().longValue(),
        plainsight.api("/api/flows/" + two.id()).json().path("connection").asLong());

    RunningPlainsight.ApiResponse connection =
        plainsight.api("/api/connections/" + one.connection());
    assertEquals(200, connection.status(), connection.text());
    assertEquals(List.of(one.id(), two.id()), ids(connection.json().path("flows")));
    assertEquals("intercepted", connection.json().path("handling").asText());
    assertEquals("127.0.0.1:" + https.port(), connection.json().path("connectTarget").asText());
    assertTrue(connection.json().path("clientSide").path("clientHello").isObject(),
        connection.text());
    assertTrue(connection.json().path("serverSide").path("ladder").size() > 0,
        connection.text());
    assertEquals(List.of(three.id()),
        ids(plainsight.api("/api/connections/" + three.connection()).json().path("flows")));
  }

  @Test
  void plainHttpRequestsOnOneConnectionArePlain() throws Exception {
    String first = http.url("/echo?plain=1");
    String second = http.url("/echo?plain=2");
    curl(first, second);
    Flow one = plainsight.awaitFlow(f -> first.equals(f.url()));
    Flow two = plainsight.awaitFlow(f -> second.equals(f.url()));
    assertEquals(one.connection(), two.connection());
    JsonNode connection = plainsight.api("/api/connections/" + one.connection()).json();
    assertEquals("plain", connection.path("handling").asText(), connection.toString());
    assertEquals(List.of(one.id(), two.id()), ids(connection.path("flows")));
  }

  @Test
  void aTunnelAndARefusedHandshakeHaveConnectionsWithTheirHandling() throws Exception {
    curl("--cacert", originCa.toString(), "https://localhost:" + https.port() + "/hello?tunnel");
    Flow tunnel = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && f.port() == https.port());
    assertEquals("tunnel",
        plainsight.api("/api/connections/" + tunnel.connection()).json().path("handling").asText());

    Curl.Result refused = Curl.run("-s", "-x", plainsight.proxyUrl(), https.url("/hello?refused"));
    assertEquals(60, refused.exitCode(), refused.stderr());
    Flow rejected = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
        && f.port() == https.port());
    JsonNode connection = plainsight.api("/api/connections/" + rejected.connection()).json();
    assertEquals("refused", connection.path("handling").asText(), connection.toString());
    assertEquals(List.of(rejected.id()), ids(connection.path("flows")));
  }

  @Test
  void anUnknownConnectionIsNotFound() {
    assertEquals(404, plainsight.api("/api/connections/999999999").status());
    assertEquals(400, plainsight.api("/api/connections/abc").status());
  }

  @Test
  void aHarRoundTripKeepsTheGrouping() throws Exception {
    var started = plainsight.api("POST", "/api/sessions", "{\"name\": \"grouping\"}");
    assertEquals(201, started.status(), started.text());
    String session = started.json().path("id").asText();
    String a = http.url("/echo?har=a");
    String b = http.url("/echo?har=b");
    String c = http.url("/echo?har=c");
    curl(a, b);
    curl(c);
    plainsight.awaitFlow(f -> c.equals(f.url()));
    plainsight.awaitFlow(f -> b.equals(f.url()));
    plainsight.app().store().flush();

    JsonNode har = plainsight.api("GET", "/api/sessions/" + session + "/har", null).json();
    Map<String, String> exported = new HashMap<>();
    for (JsonNode entry : har.path("log").path("entries")) {
      assertTrue(entry.path("connection").isTextual(), entry.toString());
      exported.put(entry.path("request").path("url").asText(), entry.path("connection").asText());
    }
    assertEquals(exported.get(a), exported.get(b));
    assertNotEquals(exported.get(a), exported.get(c));

    var imported = plainsight.api("POST", "/api/sessions/import?name=regrouped", har.toString());
    assertEquals(201, imported.status(), imported.text());
    String importedId = imported.json().path("session").asText();
    plainsight.app().store().flush();
    Map<String, Long> regrouped = new HashMap<>();
    for (JsonNode flow : plainsight.api("/api/flows?session=" + importedId).json().path("flows")) {
      regrouped.put(flow.path("url").asText(), flow.path("connection").asLong());
    }
    assertEquals(3, regrouped.size(), regrouped.toString());
    assertEquals(regrouped.get(a), regrouped.get(b), "shared connection stays shared");
    assertNotEquals(regrouped.get(a), regrouped.get(c));
    assertNotEquals(Long.parseLong(exported.get(a)), regrouped.get(a).longValue(),
        "imported entries get a new connection");
    assertEquals(2, plainsight.api("/api/connections/" + regrouped.get(a)).json().path("flows")
        .size());
    assertEquals(204, plainsight.api("DELETE", "/api/sessions/" + importedId, null).status());
  }

  private static void curl(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-s", "-o", "/dev/null", "-o", "/dev/null",
        "-x", plainsight.proxyUrl()));
    all.addAll(List.of(args));
    Curl.Result result = Curl.run(all.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.stderr());
  }

  private static JsonNode flowIn(JsonNode page, long id) {
    for (JsonNode flow : page.path("flows")) {
      if (flow.path("id").asLong() == id) {
        return flow;
      }
    }
    throw new AssertionError("flow " + id + " not in the page");
  }

  private static List<Long> ids(JsonNode array) {
    List<Long> ids = new ArrayList<>();
    array.forEach(id -> ids.add(id.asLong()));
    return ids;
  }
}
