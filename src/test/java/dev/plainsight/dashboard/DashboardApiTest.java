package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's HTTP API against a real Plainsight: flows captured through the proxy by curl and
 * the JDK client, read back over HTTP; and the front door (token, Host, Origin, CSP, the CA).
 */
class DashboardApiTest {
  @TempDir static Path dir;
  static OriginServer origin;
  static RunningPlainsight plainsight;
  static DashboardClient dashboard;

  @BeforeAll
  static void start() {
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, null, List.of());
    dashboard = new DashboardClient(plainsight.app().dashboardPort(), plainsight.app().token());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  // ---- flows captured through the proxy, read back over the API

  @Test
  void aCapturedFlowIsListedWithItsSummary() throws Exception {
    String url = origin.url("/hello?m=" + marker());
    Instant before = Instant.now().minusSeconds(1);
    curlThroughProxy(url);

    JsonNode summary = summaryOf(url);
    assertEquals("http", summary.get("kind").asText());
    assertEquals("GET", summary.get("method").asText());
    assertEquals(url, summary.get("url").asText());
    assertEquals("127.0.0.1", summary.get("host").asText());
    assertEquals(origin.port(), summary.get("port").asInt());
    assertEquals(200, summary.get("status").asInt());
    assertEquals(0, summary.get("requestBytes").asLong());
    assertEquals("hello from the origin\n".length(), summary.get("responseBytes").asLong());
    assertTrue(summary.get("durationMs").asLong() >= 0, summary.toString());
    assertEquals(plainsight.app().sessions().currentId(), summary.get("session").asText());
    assertTrue(summary.get("client").asText().contains("127.0.0.1"), summary.toString());
    assertTrue(summary.get("id").isIntegralNumber(), summary.toString());
    Instant startedAt = Instant.parse(summary.get("startedAt").asText());
    assertTrue(!startedAt.isBefore(before) && !startedAt.isAfter(Instant.now()),
        "startedAt is an ISO-8601 instant of when it happened: " + startedAt);
    assertFalse(summary.has("tls"), "a plain HTTP flow has no TLS: " + summary);
  }

  @Test
  void theListIsNewestFirstAndCountsAllMatches() throws Exception {
    String marker = marker();
    String first = origin.url("/hello?m=" + marker + "&n=1");
    String second = origin.url("/hello?m=" + marker + "&n=2");
    curlThroughProxy(first);
    plainsight.awaitFlow(f -> first.equals(f.url()));
    curlThroughProxy(second);
    plainsight.awaitFlow(f -> second.equals(f.url()));

    JsonNode page = dashboard.json("/api/flows?q=" + marker);
    assertEquals(2, page.get("total").asInt());
    assertEquals(List.of(second, first), urls(page));

    JsonNode everything = dashboard.json("/api/flows?limit=1000");
    List<Long> ids = new ArrayList<>();
    everything.get("flows").forEach(f -> ids.add(f.get("id").asLong()));
    assertEquals(everything.get("total").asInt(), ids.size());
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i - 1) > ids.get(i), "ids descend, newest first: " + ids);
    }
  }

  @Test
  void theKindFilterKeepsOnlyThatKind() throws Exception {
    String marker = marker();
    String ok = origin.url("/hello?m=" + marker);
    String dead = "http://127.0.0.1:" + closedPort() + "/gone?m=" + marker;
    curlThroughProxy(ok);
    curlThroughProxy(dead);
    plainsight.awaitFlow(f -> ok.equals(f.url()));
    plainsight.awaitFlow(f -> dead.equals(f.url()));

    assertEquals(List.of(ok), urls(dashboard.json("/api/flows?kind=http&q=" + marker)));
    assertEquals(List.of(dead), urls(dashboard.json("/api/flows?kind=error&q=" + marker)));
    JsonNode errors = dashboard.json("/api/flows?kind=error&q=" + marker).get("flows").get(0);
    assertTrue(errors.get("error").asText().contains("could not connect"), errors.toString());
    dashboard.json("/api/flows?kind=http").get("flows")
        .forEach(f -> assertEquals("http", f.get("kind").asText()));
    assertEquals(400, dashboard.get("/api/flows?kind=carrier-pigeon").statusCode());
  }

  @Test
  void textSearchFindsAFlowByWhatItsBodySaid() throws Exception {
    String secret = "password=" + marker();
    String url = origin.url("/echo?form=login");
    plainsight.client(null).send(HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString("user=alice&" + secret)).build(),
        HttpResponse.BodyHandlers.discarding());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()) && f.request() != null
        && new String(f.request().body().captured(), StandardCharsets.UTF_8).contains(secret));

    JsonNode page = dashboard.json("/api/flows?q=" + URLEncoder.encode(secret.toUpperCase(),
        StandardCharsets.UTF_8));
    assertEquals(1, page.get("total").asInt(), page.toString());
    assertEquals(flow.id(), page.get("flows").get(0).get("id").asLong());
    assertEquals(0, dashboard.json("/api/flows?q=" + marker()).get("total").asInt());
  }

  @Test
  void limitAndOffsetPageThroughTheMatches() throws Exception {
    String marker = marker();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String url = origin.url("/hello?m=" + marker + "&n=" + i);
      curlThroughProxy(url);
      plainsight.awaitFlow(f -> url.equals(f.url()));
      sent.add(0, url);
    }

    JsonNode firstPage = dashboard.json("/api/flows?q=" + marker + "&limit=2");
    JsonNode secondPage = dashboard.json("/api/flows?q=" + marker + "&limit=2&offset=2");
    assertEquals(3, firstPage.get("total").asInt());
    assertEquals(3, secondPage.get("total").asInt());
    assertEquals(sent.subList(0, 2), urls(firstPage));
    assertEquals(sent.subList(2, 3), urls(secondPage));
    assertEquals(List.of(), urls(dashboard.json("/api/flows?q=" + marker + "&offset=3")));
    assertEquals(400, dashboard.get("/api/flows?limit=lots").statusCode());
  }

  @Test
  void theDetailHasHeadersBodiesAndTimings() throws Exception {
    String url = origin.url("/set-cookie?m=" + marker());
    curlThroughProxy(url, "-H", "X-Lesson: headers are plain text");
    long id = summaryOf(url).get("id").asLong();

    JsonNode detail = dashboard.json("/api/flows/" + id);
    assertEquals(url, detail.get("url").asText());
    JsonNode request = detail.get("request");
    assertEquals("GET", request.get("method").asText());
    assertTrue(hasHeader(request, "X-Lesson", "headers are plain text"), request.toString());
    assertTrue(hasHeaderStartingWith(request, "User-Agent", "curl/"), request.toString());
    JsonNode response = detail.get("response");
    assertEquals(200, response.get("status").asInt());
    assertTrue(hasHeaderStartingWith(response, "Set-Cookie", "session=s3cr3t"), response.toString());
    assertEquals("/api/flows/" + id + "/response/body", response.get("body").get("href").asText());
    assertEquals("cookie set\n".length(), response.get("body").get("size").asInt());
    assertFalse(response.get("body").get("truncated").asBoolean());
    JsonNode timings = detail.get("timings");
    assertNotNull(timings, detail.toString());
    for (String step : List.of("dnsMs", "connectMs", "tlsUpstreamMs", "tlsClientMs", "waitMs",
        "transferMs")) {
      assertTrue(timings.has(step), "timings name the step " + step + ": " + timings);
    }
    assertTrue(timings.get("transferMs").isNumber(), timings.toString());
  }

  /** A GET on a new connection races the proxy's "request sent" event: ask several times. */
  @Test
  void everyExchangeShowsItsTimeToFirstByte() throws Exception {
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String url = origin.url("/hello?m=" + marker());
      curlThroughProxy(url);
      JsonNode timings = dashboard.json("/api/flows/" + summaryOf(url).get("id").asLong()).get("timings");
      if (!timings.get("waitMs").isNumber()) {
        missing.add(timings.toString());
      }
    }
    assertEquals(List.of(), missing, "exchanges without a time to first byte (waitMs)");
  }

  @Test
  void bodyRoutesReturnTheExactCapturedBytes() throws Exception {
    byte[] sent = new byte[1024];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = (byte) (i * 7);
    }
    String url = origin.url("/echo?m=" + marker());
    plainsight.client(null).send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build(),
        HttpResponse.BodyHandlers.discarding());
    long id = plainsight.awaitFlow(f -> url.equals(f.url()) && f.status() != null).id();

    for (String side : List.of("request", "response")) {
      HttpResponse<byte[]> body = dashboard.get("/api/flows/" + id + "/" + side + "/body");
      assertEquals(200, body.statusCode());
      assertEquals("application/octet-stream", body.headers().firstValue("Content-Type").orElse(""));
      assertArrayEquals(sent, body.body(), side + " body is byte-identical");
    }
  }

  @Test
  void decodedTrueUnzipsAGzippedBodyAndTheDefaultKeepsItAsSent() throws Exception {
    String url = origin.url("/gzip?m=" + marker());
    curlThroughProxy(url);
    long id = summaryOf(url).get("id").asLong();

    String route = "/api/flows/" + id + "/response/body";
    assertArrayEquals(OriginServer.GZIP_BODY, dashboard.get(route).body());
    HttpResponse<byte[]> decoded = dashboard.get(route + "?decoded=true");
    assertEquals(200, decoded.statusCode());
    assertEquals("hello, compressed world\n".repeat(200), DashboardClient.text(decoded));
  }

  @Test
  void anUnknownFlowIs404AndABadIdIs400() {
    assertEquals(404, dashboard.get("/api/flows/987654321").statusCode());
    assertEquals(404, dashboard.get("/api/flows/987654321/response/body").statusCode());
    assertEquals(400, dashboard.get("/api/flows/not-a-number").statusCode());
    assertEquals(400, dashboard.get("/api/flows/1x/request/body").statusCode());
  }

  // ---- the front door

  @Test
  void theApiRefusesARequestWithoutTheToken() {
    for (String route : List.of("/api/flows", "/api/flows/1", "/api/sessions")) {
      assertEquals(401, dashboard.getWithout(route).statusCode(), route);
    }
  }

  @Test
  void theApiRefusesAWrongToken() {
    String wrong = "0".repeat(dashboard.token().length());
    assertEquals(401, dashboard.get("/api/flows", "Authorization", "Bearer " + wrong).statusCode());
    assertEquals(401, dashboard.getWithout("/api/flows?token=" + wrong).statusCode());
    assertEquals(401, dashboard.getWithout("/api/flows", "Cookie",
        AccessGuard.COOKIE + "=" + wrong).statusCode());
    assertEquals(401, dashboard.get("/api/flows", "Authorization",
        "Bearer " + dashboard.token().substring(1)).statusCode());
    assertEquals(401, dashboard.getWithout("/?token=" + wrong).statusCode());
  }

  @Test
  void theTokenInTheUrlSetsAStrictHttpOnlyCookieThatThenUnlocksTheApi() {
    HttpResponse<byte[]> page = dashboard.getWithout("/?token=" + dashboard.token());
    assertEquals(200, page.statusCode());
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.startsWith(AccessGuard.COOKIE + "=" + dashboard.token() + ";"), cookie);
    assertTrue(cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);

    String nameValue = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<byte[]> flows = dashboard.getWithout("/api/flows", "Cookie", nameValue);
    assertEquals(200, flows.statusCode(), DashboardClient.text(flows));
    assertTrue(DashboardClient.text(flows).startsWith("{\"total\":"));
  }

  @Test
  void aForeignHostIsRefusedEvenWithTheToken() {
    int port = plainsight.app().dashboardPort();
    String bearer = "Authorization: Bearer " + dashboard.token();
    for (String host : List.of("evil.example:" + port, "evil.example", "127.0.0.1.evil.example:" + port,
        "127.0.0.1:" + (port + 1), "localhost.evil.example:" + port)) {
      var refused = dashboard.raw("GET /api/flows HTTP/1.1", "Host: " + host, bearer);
      assertEquals(403, refused.status(), "Host: " + host);
      assertFalse(refused.text().contains("\"flows\""), refused.text());
    }
    assertEquals(403, dashboard.raw("GET /?token=" + dashboard.token() + " HTTP/1.1",
        "Host: evil.example:" + port).status());
    int noHost = dashboard.raw("GET /api/flows HTTP/1.1", bearer).status();
    assertTrue(noHost == 400 || noHost == 403, "no Host header at all is refused: " + noHost);

    assertEquals(200, dashboard.raw("GET /api/flows HTTP/1.1", "Host: 127.0.0.1:" + port, bearer).status());
    assertEquals(200, dashboard.raw("GET /api/flows HTTP/1.1", "Host: localhost:" + port, bearer).status());
  }

  @Test
  void aCrossOriginRequestIsRefusedEvenWithTheToken() {
    assertEquals(403, dashboard.get("/api/flows", "Origin", "http://evil.example").statusCode());
    assertEquals(403, dashboard.get("/api/flows", "Origin", "null").statusCode());
    assertEquals(403, dashboard.get("/api/flows", "Origin",
        "http://127.0.0.1:" + (plainsight.app().dashboardPort() + 1)).statusCode());
    assertEquals(200, dashboard.get("/api/flows", "Origin", dashboard.base()).statusCode(),
        "the dashboard's own page may call its API");
  }

  @Test
  void aCrossSiteFetchIsRefusedEvenWithTheToken() {
    assertEquals(403, dashboard.get("/api/flows", "Sec-Fetch-Site", "cross-site").statusCode());
    assertEquals(200, dashboard.get("/api/flows", "Sec-Fetch-Site", "same-origin").statusCode());
  }

  @Test
  void theCaCertificateAndInstallPageNeedNoToken() throws Exception {
    HttpResponse<byte[]> pem = dashboard.getWithout("/ca.pem");
    assertEquals(200, pem.statusCode());
    assertEquals(Files.readString(plainsight.caPem()), DashboardClient.text(pem));
    assertEquals(plainsight.app().ca().certificatePem(), DashboardClient.text(pem));

    HttpResponse<byte[]> page = dashboard.getWithout("/ca");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(DashboardClient.text(page).contains(plainsight.app().ca().sha256Fingerprint()),
        "the install page shows the fingerprint to compare");
  }

  @Test
  void everyResponseCarriesAContentSecurityPolicyWithoutInlineScript() {
    String token = dashboard.token();
    for (String route : List.of("/", "/app.js", "/ca", "/ca.pem", "/api/flows", "/api/flows/0")) {
      HttpResponse<byte[]> response = dashboard.getWithout(route + "?token=" + token);
      String csp = response.headers().firstValue("Content-Security-Policy").orElse(null);
      assertNotNull(csp, route + " has a Content-Security-Policy");
      assertFalse(csp.contains("unsafe-inline"), route + ": " + csp);
      assertFalse(csp.contains("unsafe-eval"), route + ": " + csp);
      assertTrue(csp.contains("script-src 'self'") || csp.contains("default-src 'none'"),
          route + ": " + csp);
    }
    assertNotNull(dashboard.getWithout("/api/flows").headers()
        .firstValue("Content-Security-Policy").orElse(null), "even a refusal carries the policy");
  }

  @Test
  void noRouteServesTheCaKey() throws Exception {
    String key = Files.readString(dir.resolve("ca").resolve("ca-key.pem"));
    String keyBase64 = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    String token = dashboard.token();
    List<String> paths = List.of("/ca-key.pem", "/ca/ca-key.pem", "/ca/../ca/ca-key.pem",
        "/../ca/ca-key.pem", "/../../ca/ca-key.pem", "/%2e%2e/ca/ca-key.pem",
        "/..%2fca%2fca-key.pem", "/%2e%2e%2fca%2fca-key.pem", "/ca.pem/../ca-key.pem",
        "/web/../ca/ca-key.pem", "/api/../ca-key.pem", "/ca%2fca-key.pem", "/ca-key.pem%00.pem",
        "/" + dir.resolve("ca").resolve("ca-key.pem"), "//" + dir.resolve("ca").resolve("ca-key.pem"),
        "/file:" + dir.resolve("ca").resolve("ca-key.pem"));
    for (String path : paths) {
      for (String query : List.of("", "?token=" + token)) {
        DashboardClient.RawResponse response = dashboard.raw("GET " + path + query + " HTTP/1.1",
            "Host: 127.0.0.1:" + plainsight.app().dashboardPort(), "Authorization: Bearer " + token);
        assertFalse(response.text().contains(keyBase64), path + " served the CA key");
        assertFalse(response.text().contains("PRIVATE KEY"), path + " served a private key");
      }
    }
  }

  @Test
  void aNewSessionFilesTheFollowingFlowsUnderIt() throws Exception {
    String name = "lab-" + marker();
    assertEquals(401, dashboard.post("/api/sessions", "{\"name\":\"" + name + "\"}", false).statusCode(),
        "starting a session needs the token");
    HttpResponse<byte[]> started = dashboard.post("/api/sessions", "{\"name\":\"" + name + "\"}", true);
    assertEquals(201, started.statusCode(), DashboardClient.text(started));

    JsonNode sessions = dashboard.json("/api/sessions");
    Set<String> current = new HashSet<>();
    sessions.forEach(s -> {
      if (s.get("current").asBoolean()) {
        current.add(s.get("name").asText());
      }
    });
    assertEquals(Set.of(name), current, sessions.toString());

    String url = origin.url("/hello?m=" + marker());
    curlThroughProxy(url);
    String sessionId = plainsight.app().sessions().find(name).orElseThrow().id();
    assertEquals(sessionId, summaryOf(url).get("session").asText(),
        "flows carry the session's stable id; the name is its label");
    assertEquals(List.of(url), urls(dashboard.json("/api/flows?session=" + sessionId)));
  }

  // ---- helpers

  private static String marker() {
    return "m" + UUID.randomUUID().toString().replace("-", "");
  }

  private static void curlThroughProxy(String url, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl()));
    args.addAll(List.of(extra));
    args.add(url);
    Curl.Result result = Curl.run(args.toArray(String[]::new));
    assertTrue(result.exitCode() == 0, "curl " + args + ": " + result.stderr());
  }

  /** The summary of the flow with this URL, as the API lists it (waiting for capture first). */
  private static JsonNode summaryOf(String url) {
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      for (JsonNode summary : dashboard.json("/api/flows?limit=1000").get("flows")) {
        if (summary.get("id").asLong() == flow.id()) {
          return summary;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("flow " + flow.id() + " (" + url + ") is not listed");
      }
      sleep(20);
    }
  }

  private static List<String> urls(JsonNode page) {
    List<String> urls = new ArrayList<>();
    page.get("flows").forEach(f -> urls.add(f.get("url").asText()));
    return urls;
  }

  private static boolean hasHeader(JsonNode message, String name, String value) {
    for (JsonNode header : message.get("headers")) {
      if (header.get("name").asText().equalsIgnoreCase(name) && header.get("value").asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasHeaderStartingWith(JsonNode message, String name, String prefix) {
    for (JsonNode header : message.get("headers")) {
      if (header.get("name").asText().equalsIgnoreCase(name) && header.get("value").asText().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
