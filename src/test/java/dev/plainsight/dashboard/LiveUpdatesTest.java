package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live feed at {@code /api/updates}: a real WebSocket client, flows captured through the proxy. */
class LiveUpdatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static OriginServer origin;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, null, List.of());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  @Test
  void aCapturedFlowIsPushedToAConnectedDashboardAsItsSummary() throws Exception {
    Feed feed = Feed.open(feedUri("?token=" + plainsight.app().token()));
    try {
      String url = origin.url("/hello?live=" + UUID.randomUUID());
      capture(url);

      JsonNode summary = feed.awaitFlow(url);
      Flow stored = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(stored.id(), summary.get("id").asLong());
      assertEquals("http", summary.get("kind").asText());
      assertEquals("GET", summary.get("method").asText());
      assertEquals(200, summary.get("status").asInt());
      assertEquals("127.0.0.1", summary.get("host").asText());
      assertEquals(origin.port(), summary.get("port").asInt());
      assertEquals(stored.startedAt().toString(), summary.get("startedAt").asText());
      assertTrue(summary.has("responseBytes") && summary.has("durationMs"), summary.toString());
      assertTrue(!summary.has("request") && !summary.has("response"),
          "the feed carries summaries, not whole flows: " + summary);
    } finally {
      feed.close();
    }
  }

  @Test
  void theCookieSetByTheTokenUrlAlsoOpensTheFeed() throws Exception {
    Feed feed = Feed.open(feedUri(""), "Cookie", AccessGuard.COOKIE + "=" + plainsight.app().token());
    try {
      String url = origin.url("/hello?cookie=" + UUID.randomUUID());
      capture(url);
      assertEquals(url, feed.awaitFlow(url).get("url").asText());
    } finally {
      feed.close();
    }
  }

  @Test
  void withoutTheTokenTheFeedIsRefusedAndSendsNothing() throws Exception {
    assertRefused(feedUri(""));
  }

  @Test
  void aWrongTokenIsRefusedLikeNone() throws Exception {
    assertRefused(feedUri("?token=" + "0".repeat(plainsight.app().token().length())));
    assertRefused(feedUri(""), "Cookie", AccessGuard.COOKIE + "=wrong");
  }

  @Test
  void anotherSiteCannotOpenTheFeedEvenWithTheToken() throws Exception {
    assertRefused(feedUri("?token=" + plainsight.app().token()), "Origin", "http://evil.example");
  }

  @Test
  void aForeignHostCannotOpenTheFeedEvenWithTheToken() throws Exception {
    int port = plainsight.app().dashboardPort();
    String refused = upgradeByHand(port, "evil.example:" + port);
    String accepted = upgradeByHand(port, "127.0.0.1:" + port);
    assertTrue(accepted.startsWith("HTTP/1.1 101"), "the own Host upgrades: " + accepted);
    assertTrue(refused.startsWith("HTTP/1.1 403"), "a rebinding page's upgrade is refused: " + refused);
  }

  @Test
  void aStalledDashboardStopsNeitherStorageNorAnotherDashboard() throws Exception {
    int port = plainsight.app().dashboardPort();
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      String head = upgrade(stalled, "127.0.0.1:" + port);
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      // from here on the stalled dashboard never reads
      Feed feed = Feed.open(feedUri("?token=" + plainsight.app().token()));
      try {
        String tag = UUID.randomUUID().toString();
        String pad = "x".repeat(4000);
        HttpClient client = plainsight.client(null);
        int count = 200;
        for (int i = 0; i < count; i++) {
          HttpRequest request = HttpRequest.newBuilder(URI.create(
              origin.url("/hello?stall=" + tag + "&n=" + i + "&pad=" + pad))).build();
          assertEquals(200, client.send(request, HttpResponse.BodyHandlers.discarding())
              .statusCode());
        }
        java.util.Set<Long> ids = new java.util.HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ids.size() < count && System.nanoTime() < deadline) {
          String message = feed.messages.poll(100, TimeUnit.MILLISECONDS);
          if (message != null && message.contains(tag)) {
            ids.add(JSON.readTree(message).get("id").asLong());
          }
        }
        assertEquals(count, ids.size(), "the reading dashboard got every flow");
        plainsight.app().store().flush();
        for (long id : ids) {
          assertTrue(plainsight.app().store().find(id).isPresent(), "flow " + id + " stored");
        }
        assertEquals(0, plainsight.app().store().droppedCount());
      } finally {
        feed.close();
      }
    }
  }

  // ---- helpers

  @Test
  void aFeedSubscribedWithAFilterGetsOnlyTheFlowsTheServerSaysMatch() throws Exception {
    Feed feed = Feed.open(feedUri("?token=" + plainsight.app().token()));
    try {
      feed.send("{\"filter\": \"kind=https-decrypted,https-tunnel&host=!*.internal&background=false\"}");
      feed.send("{\"filter\": \"host=a b\"}");
      JsonNode refused = feed.next();
      assertTrue(refused.path("filterError").asText().contains("\"a b\" is not a host name"),
          refused.toString());
      // the refusal came after the first filter was applied, and left it in place
      var store = plainsight.app().store();
      store.add(synthetic(FlowKind.HTTP, "shop.example"));
      store.add(synthetic(FlowKind.HTTPS_DECRYPTED, "db.internal"));
      Flow hidden = store.add(synthetic(FlowKind.HTTPS_DECRYPTED, "update.googleapis.com"));
      Flow shown = store.add(synthetic(FlowKind.HTTPS_TUNNEL, "shop.example"));
      assertEquals(hidden.id(), feed.next().path("backgroundHidden").asLong());
      JsonNode summary = feed.next();
      assertEquals(shown.id(), summary.get("id").asLong(), summary.toString());
      assertEquals(false, summary.get("background").asBoolean());
      assertEquals(null, feed.messages.poll(300, TimeUnit.MILLISECONDS), "nothing else");
    } finally {
      feed.close();
    }
  }

  private static Flow synthetic(FlowKind kind, String host) {
    return new FlowBuilder().kind(kind).startedAt(java.time.Instant.now()).client("127.0.0.1:1")
        .method("GET").url("https://" + host + "/").host(host).port(443).build();
  }

  private static URI feedUri(String query) {
    return URI.create("ws://127.0.0.1:" + plainsight.app().dashboardPort() + "/api/updates" + query);
  }

  private static void capture(String url) throws Exception {
    Curl.Result result = Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(), url);
    assertEquals(0, result.exitCode(), result.stderr());
  }

  /**
   * The upgrade is refused with 401 or 403 (the same front door as the API), so no socket exists
   * that a captured flow could reach.
   */
  private static void assertRefused(URI uri, String... headers) throws Exception {
    Feed feed;
    try {
      feed = Feed.open(uri, headers);
    } catch (ExecutionException refused) {
      assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
      int status = ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode();
      assertTrue(status == 401 || status == 403, uri + " " + List.of(headers) + " -> " + status);
      return;
    }
    feed.close();
    throw new AssertionError(uri + " " + List.of(headers) + " was upgraded to a live feed");
  }

  /** The response head to an upgrade request with the token, sent raw so that {@code Host} can be forged. */
  private static String upgradeByHand(int port, String host) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      return upgrade(socket, host);
    }
  }

  private static String upgrade(Socket socket, String host) throws IOException {
    socket.setSoTimeout(3000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET /api/updates?token=" + plainsight.app().token() + " HTTP/1.1\r\n"
        + "Host: " + host + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    for (int b; head.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0; ) {
      head.append((char) b);
    }
    return head.toString();
  }

  /** A connected WebSocket client that keeps every text message and notes when it is closed. */
  static final class Feed implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Feed open(URI uri, String... headers) throws Exception {
      Feed feed = new Feed();
      WebSocket.Builder builder = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
          .newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
      for (int i = 0; i < headers.length; i += 2) {
        builder.header(headers[i], headers[i + 1]);
      }
      feed.socket = builder.buildAsync(uri, feed).get(10, TimeUnit.SECONDS);
      return feed;
    }

    void send(String text) throws Exception {
      socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** The next message (waiting up to 10 s). */
    JsonNode next() throws Exception {
      String message = messages.poll(10, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message within 10 s");
      }
      return JSON.readTree(message);
    }

    /** Waits (up to 10 s) for the summary of the flow with this URL, skipping others. */
    JsonNode awaitFlow(String url) throws Exception {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        String message = messages.poll(100, TimeUnit.MILLISECONDS);
        if (message != null) {
          JsonNode summary = JSON.readTree(message);
          if (url.equals(summary.path("url").asText())) {
            return summary;
          }
        }
        if (closed.isDone()) {
          throw new AssertionError("the feed closed (" + closed.get() + ") before " + url + " arrived");
        }
      }
      throw new AssertionError("no summary of " + url + " within 10 s");
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    void close() {
      if (socket != null && !socket.isOutputClosed()) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done");
      }
      socket.abort();
    }
  }
}
