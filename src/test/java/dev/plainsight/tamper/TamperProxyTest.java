package dev.plainsight.tamper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.Modification;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.PageOrigin;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tamper rules change what real clients and origins see, and only what they match. */
class TamperProxyTest {
  static final String BANNER = "<body><div class=\"mitm\">This page was changed by the proxy</div>";

  @TempDir static Path dir;
  static TestPki pki;
  static PageOrigin pages;
  static OriginServer http;
  static OriginServer https;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Tamper CA");
    pages = new PageOrigin();
    http = OriginServer.http();
    https = OriginServer.https(pki.issue("127.0.0.1").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    pages.close();
    http.close();
    https.close();
  }

  @AfterEach
  void noRules() {
    plainsight.app().passthrough().replace(List.of());
    assertEquals(200, plainsight.api("PUT", "/api/rules", "[]").status());
  }

  static void rules(String json) {
    RunningPlainsight.ApiResponse answer = plainsight.api("PUT", "/api/rules", json);
    assertEquals(200, answer.status(), answer.text());
  }

  static String bannerRule(String host) {
    return "[{\"name\":\"banner\",\"host\":\"" + host + "\",\"phase\":\"response\",\"part\":\"body\","
        + "\"match\":\"<body>\",\"replace\":\"" + BANNER.replace("\"", "\\\"") + "\"}]";
  }

  static HttpResponse<byte[]> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aBodyRuleInjectsABannerIntoAPlainHttpPageAndTheFlowShowsBeforeAndAfter() throws Exception {
    rules(bannerRule("127.0.0.1"));
    String url = pages.url("/page?banner");
    HttpResponse<byte[]> response = get(plainsight.client(null), url);

    String seen = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(PageOrigin.PAGE.replace("<body>", BANNER), seen, "what the client received");
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals(seen, new String(flow.response().body().captured(), StandardCharsets.UTF_8),
        "the flow keeps what the client received");
    Modification change = flow.modifications().get(0);
    assertEquals("banner", change.rule());
    assertEquals("response-body", change.part());
    assertEquals(PageOrigin.PAGE, change.before());
    assertEquals(seen, change.after());

    plainsight.app().store().flush();
    assertEquals(flow.modifications(), plainsight.app().store().find(flow.id()).orElseThrow()
        .modifications(), "kept as they were when read back from the store");
    JsonNode summary = plainsight.api("/api/flows?limit=300").json().get("flows");
    boolean marked = false;
    for (JsonNode node : summary) {
      if (node.get("id").asLong() == flow.id()) {
        marked = node.path("modified").asBoolean();
      }
    }
    assertTrue(marked, "the list marks the flow as modified");
    JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
    assertEquals("banner", detail.get("modifications").get(0).get("rule").asText());
    assertEquals(PageOrigin.PAGE, detail.get("modifications").get(0).get("before").asText());
  }

  @Test
  void aClientThatAcceptsGzipIsAskedForAnUncompressedPageSoTheRuleStillApplies() throws Exception {
    rules(bannerRule("127.0.0.1"));
    String url = pages.url("/headers?gzip-accepted");
    HttpResponse<byte[]> response = plainsight.client(null).send(HttpRequest.newBuilder(URI.create(url))
        .header("Accept-Encoding", "gzip, br").build(), HttpResponse.BodyHandlers.ofByteArray());

    assertFalse(new String(response.body(), StandardCharsets.UTF_8).contains("accept-encoding"));
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    Modification asked = flow.modifications().get(0);
    assertEquals("request-header", asked.part());
    assertEquals("Accept-Encoding: gzip, br", asked.before());
    assertTrue(asked.note().contains("uncompressed"), asked.note());
  }

  @Test
  void aChunkedPageIsRewrittenToo() throws Exception {
    rules(bannerRule("*"));
    HttpResponse<byte[]> response = get(plainsight.client(null), pages.url("/streamed-page"));
    assertEquals(PageOrigin.PAGE.replace("<body>", BANNER),
        new String(response.body(), StandardCharsets.UTF_8));
  }

  @Test
  void aRequestHeaderRuleChangesWhatTheOriginReceives() throws Exception {
    rules("[{\"name\":\"agent\",\"host\":\"127.0.0.1\",\"phase\":\"request\",\"part\":\"header\","
        + "\"match\":\"^User-Agent: .*$\",\"regex\":true,"
        + "\"replace\":\"User-Agent: changed-by-the-proxy\\nX-Tampered: yes\"}]");
    String url = pages.url("/headers?agent");
    HttpResponse<byte[]> response = plainsight.client(null).send(HttpRequest.newBuilder(URI.create(url))
        .header("User-Agent", "honest-client/1.0").build(), HttpResponse.BodyHandlers.ofByteArray());

    String origin = new String(response.body(), StandardCharsets.UTF_8);
    assertTrue(origin.contains("user-agent: changed-by-the-proxy\n"), origin);
    assertTrue(origin.contains("x-tampered: yes\n"), origin);
    assertFalse(origin.contains("honest-client"), origin);
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertTrue(flow.request().headers().stream().anyMatch(h -> h.value().equals("changed-by-the-proxy")),
        "the flow keeps the request as the origin received it");
    Modification change = flow.modifications().get(0);
    assertEquals("request-header", change.part());
    assertTrue(change.before().contains("User-Agent: honest-client/1.0"), change.before());
    assertTrue(change.after().contains("X-Tampered: yes"), change.after());
  }

  @Test
  void aPageNoRuleMatchesPassesByteForByteWithItsOwnFraming() throws Exception {
    rules(bannerRule("elsewhere.example"));
    String url = pages.url("/page?unmatched");
    HttpResponse<byte[]> response = get(plainsight.client(null), url);

    assertArrayEquals(PageOrigin.PAGE.getBytes(StandardCharsets.UTF_8), response.body());
    assertEquals(String.valueOf(PageOrigin.PAGE.length()),
        response.headers().firstValue("Content-Length").orElse("none"));
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(List.of(), flow.modifications());
  }

  @Test
  void aPageThatGrowsPastTheHoldLimitIsSentOnUntouchedWithANote() throws Exception {
    rules(bannerRule("127.0.0.1"));
    String url = pages.url("/big-streamed-page");
    HttpResponse<byte[]> response = get(plainsight.client(null), url);

    assertArrayEquals(PageOrigin.bigPage(), response.body());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    Modification note = flow.modifications().get(0);
    assertFalse(note.changed());
    assertTrue(note.note().contains("grew larger than"), note.note());
    assertEquals(PageOrigin.BIG_PAGE_BYTES, flow.responseBytes());
  }

  @Test
  void aGzipBodyIsLeftUntouchedWithANote() throws Exception {
    rules("[{\"name\":\"shout\",\"host\":\"*\",\"phase\":\"response\",\"part\":\"body\","
        + "\"match\":\"hello\",\"replace\":\"HELLO\"}]");
    String url = http.url("/gzip");
    HttpResponse<byte[]> response = get(plainsight.client(null), url);

    assertArrayEquals(OriginServer.GZIP_BODY, response.body());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    Modification note = flow.modifications().get(0);
    assertFalse(note.changed());
    assertTrue(note.note().contains("compressed (Content-Encoding: gzip)"), note.note());
    JsonNode summary = plainsight.api("/api/flows?limit=300").json().get("flows");
    for (JsonNode node : summary) {
      if (node.get("id").asLong() == flow.id()) {
        assertFalse(node.has("modified"), "a noted but untouched flow is not marked modified");
      }
    }
  }

  @Test
  void decryptedHttpsIsRewrittenLikePlainHttp() throws Exception {
    rules("[{\"name\":\"shout\",\"host\":\"127.0.0.1\",\"phase\":\"response\",\"part\":\"body\","
        + "\"match\":\"hello\",\"replace\":\"HELLO\"}]");
    String url = https.url("/hello?decrypted");
    HttpResponse<byte[]> response = get(plainsight.clientTrustingPlainsight(), url);

    assertEquals("HELLO from the origin\n", new String(response.body(), StandardCharsets.UTF_8));
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());
    assertTrue(flow.modifications().get(0).changed());
  }

  @Test
  void httpsPassedThroughAsATunnelIsNeverModified() throws Exception {
    rules("[{\"name\":\"shout\",\"host\":\"*\",\"phase\":\"response\",\"part\":\"body\","
        + "\"match\":\"hello\",\"replace\":\"HELLO\"}]");
    plainsight.app().passthrough().replace(List.of("127.0.0.1"));
    long tunnelsBefore = tunnels();
    Curl.Result sealed = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        pki.writeCaPem(dir).toString(), https.url("/hello?tunnelled"));

    assertEquals(0, sealed.exitCode(), sealed.stderr());
    assertEquals("hello from the origin\n", sealed.stdout());
    Flow tunnel = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL && tunnels() > tunnelsBefore);
    assertEquals(List.of(), tunnel.modifications());
  }

  private static long tunnels() {
    return plainsight.app().store().query(new dev.plainsight.flow.FlowQuery(null,
        FlowKind.HTTPS_TUNNEL, null, null, 1000, 0)).total();
  }

  @Test
  void aBadRuleIsRefusedWithA400NamingItAndNothingChanges() {
    rules(bannerRule("*"));
    RunningPlainsight.ApiResponse regex = plainsight.api("PUT", "/api/rules",
        "[{\"name\":\"broken\",\"phase\":\"response\",\"part\":\"body\",\"match\":\"(\",\"regex\":true}]");
    assertEquals(400, regex.status());
    assertTrue(regex.text().contains("rule \\\"broken\\\": match is not a valid regular expression")
        || regex.text().contains("rule \"broken\": match is not a valid regular expression"), regex.text());
    RunningPlainsight.ApiResponse phase = plainsight.api("PUT", "/api/rules",
        "[{\"name\":\"odd\",\"phase\":\"sideways\",\"part\":\"body\",\"match\":\"x\"}]");
    assertEquals(400, phase.status());
    assertTrue(phase.text().contains("sideways"), phase.text());
    assertEquals(400, plainsight.api("PUT", "/api/rules", "{not json").status());
    assertEquals("banner", plainsight.api("/api/rules").json().get(0).get("name").asText());
  }

  @Test
  void aCatastrophicRuleOnOneClientsPageDoesNotDelayOtherClients() throws Exception {
    com.sun.net.httpserver.HttpServer origin = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 50);
    origin.createContext("/", ex -> {
      byte[] body = (ex.getRequestURI().getPath().equals("/thirty") ? "a".repeat(30) : "ok")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    origin.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    origin.start();
    int port = origin.getAddress().getPort();
    try {
      rules("[{\"name\":\"catastrophic\",\"host\":\"127.0.0.1\",\"phase\":\"response\","
          + "\"part\":\"body\",\"regex\":true,\"match\":\"(.*a){12}X\",\"replace\":\"b\"}]");
      var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return get(plainsight.client(null), "http://127.0.0.1:" + port + "/thirty");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      // one client per I/O loop and more: at least one shares the slow client's loop
      List<java.util.concurrent.CompletableFuture<Long>> others = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        HttpClient client = plainsight.client(null);
        others.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          long start = System.nanoTime();
          try {
            assertEquals("ok", new String(get(client, "http://localhost:" + port + "/plain")
                .body(), StandardCharsets.UTF_8));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return (System.nanoTime() - start) / 1_000_000;
        }));
      }
      for (var other : others) {
        long millis = other.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(millis < 2_000, "another client waited " + millis + " ms");
      }
      assertEquals("a".repeat(30), new String(slow.get(60, java.util.concurrent.TimeUnit.SECONDS)
          .body(), StandardCharsets.UTF_8), "nothing matched: the page passes unchanged");
    } finally {
      origin.stop(0);
    }
  }

  @Test
  void aRuleWithABackReferenceIsRefusedAtPutWithA400NamingIt() {
    RunningPlainsight.ApiResponse answer = plainsight.api("PUT", "/api/rules",
        "[{\"name\":\"repeat\",\"phase\":\"response\",\"part\":\"body\","
            + "\"match\":\"(a)\\\\1\",\"regex\":true}]");
    assertEquals(400, answer.status(), answer.text());
    assertTrue(answer.text().contains("repeat") && answer.text().contains("back-references"),
        answer.text());
  }
}
