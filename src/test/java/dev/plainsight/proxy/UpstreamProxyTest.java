package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.plainsight.Options;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --upstream-proxy} with a second real Plainsight on loopback as the venue's proxy
 * ("venue", capture on: its flows prove what went through it). The venue alone knows the
 * origin's names ({@code via.test}, {@code tunnel.via.test}: static names of its own), so a
 * request that reaches the origin by name went through it, unresolved by the first Plainsight
 * ("room"). The venue tunnels both names, so the room verifies the real server's certificate.
 */
class UpstreamProxyTest {
  private static final String VIA = "via.test";
  private static final String TUNNELLED = "tunnel.via.test";
  private static final String CREDENTIALS = "alice:venue-secret";

  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer http;
  static HttpsServer https;
  static final List<Map<String, List<String>>> httpsHeaders = new CopyOnWriteArrayList<>();
  static RunningPlainsight venue;
  static RunningPlainsight room;
  static final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create("Upstream CA");
    http = OriginServer.http();
    closing.add(http);
    https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    https.setHttpsConfigurator(new HttpsConfigurator(
        pki.issue(VIA, TUNNELLED).serverContext()));
    https.createContext("/", ex -> {
      httpsHeaders.add(Map.copyOf(ex.getRequestHeaders()));
      byte[] body = "hello over tls\n".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    https.start();
    venue = venue(dir.resolve("venue"), null);
    closing.add(venue);
    room = room(dir.resolve("room"), venue.proxyPort(), null);
    closing.add(room);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    if (https != null) {
      https.stop(0);
    }
  }

  static RunningPlainsight venue(Path at, String roomPassword) {
    return RunningPlainsight.start(at, Options.builder(0, 0, at.resolve("ca"), at.resolve("data"))
        .staticHosts(Map.of(VIA, "127.0.0.1", TUNNELLED, "127.0.0.1"))
        .passthrough(List.of(VIA, TUNNELLED))
        .roomPassword(roomPassword)
        .build());
  }

  static RunningPlainsight room(Path at, int upstreamPort, String credentials) {
    return RunningPlainsight.start(at, Options.builder(0, 0, at.resolve("ca"), at.resolve("data"))
        .upstreamCaFiles(List.of(pki.writeCaPem(at.getParent())))
        .passthrough(List.of(TUNNELLED))
        .upstreamProxy("http://127.0.0.1:" + upstreamPort)
        .upstreamProxyCredentials(credentials)
        .upstreamProxyBypass(List.of("localhost"))
        .build());
  }

  @Test
  void plainHttpGoesToTheUpstreamProxyWithTheNameUnresolved() throws Exception {
    String url = "http://" + VIA + ":" + http.port() + "/hello?plain";
    HttpResponse<String> response = get(room.client(null), url);
    assertEquals(200, response.statusCode());
    assertEquals("hello from the origin\n", response.body());
    Flow sent = room.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTP, sent.kind());
    assertEquals("127.0.0.1:" + venue.proxyPort(), sent.wire().upstreamProxy());
    assertNull(sent.wire().dns(), "the room did no DNS: the venue resolved the name");
    Flow relayed = venue.awaitFlow(f -> url.equals(f.url()));
    assertEquals(200, relayed.status());
    String tcp = lessonStep(room, sent, "tcp");
    assertTrue(tcp.contains("upstream proxy 127.0.0.1:" + venue.proxyPort())
        && tcp.contains("which connected to " + VIA + ":" + http.port() + " itself"), tcp);
    String dns = lessonStep(room, sent, "dns");
    assertTrue(dns.contains("looked up " + VIA + ", not Plainsight"), dns);
    assertEquals("127.0.0.1:" + venue.proxyPort(), room.api("/api/flows/" + sent.id()).json()
        .path("wire").path("upstreamProxy").asText());
  }

  @Test
  void interceptedHttpsIsTunnelledByTheUpstreamProxyAndVerifiedAgainstTheRealServer()
      throws Exception {
    String url = "https://" + VIA + ":" + https.getAddress().getPort() + "/decrypted";
    Curl.Result response = Curl.run("-s", "--cacert", room.caPem().toString(), "-x",
        room.proxyUrl(), url);
    assertEquals("hello over tls\n", response.stdout(), response.stderr());
    Flow decrypted = room.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, decrypted.kind());
    assertEquals("127.0.0.1:" + venue.proxyPort(), decrypted.wire().upstreamProxy());
    assertNotNull(decrypted.timings().connectMs(), "the TCP step to the upstream proxy was timed");
    assertTrue(decrypted.tls().upstreamChain().get(0).issuer().contains("Upstream CA"),
        "the room saw the real server's certificate, not one forged by the venue");
    venue.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL && VIA.equals(f.host())
        && f.port() == https.getAddress().getPort());
  }

  @Test
  void aTunnelledHostIsTunnelledThroughTheUpstreamProxy() throws Exception {
    String url = "https://" + TUNNELLED + ":" + https.getAddress().getPort() + "/tunnel";
    Curl.Result response = Curl.run("-s", "--cacert", pki.writeCaPem(dir).toString(), "-x",
        room.proxyUrl(), url);
    assertEquals("hello over tls\n", response.stdout(), response.stderr());
    Flow tunnel = room.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && TUNNELLED.equals(f.host()));
    assertEquals("127.0.0.1:" + venue.proxyPort(), tunnel.wire().upstreamProxy());
    venue.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL && TUNNELLED.equals(f.host()));
  }

  @Test
  void aBypassedHostIsReachedDirectly() throws Exception {
    String url = "http://localhost:" + http.port() + "/hello?bypassed";
    assertEquals(200, get(room.client(null), url).statusCode());
    Flow direct = room.awaitFlow(f -> url.equals(f.url()));
    assertNull(direct.wire().upstreamProxy());
    assertNotNull(direct.wire().dns(), "the room resolved the bypassed name itself");
    Thread.sleep(300);
    assertFalse(venue.app().store().query(FlowQuery.all()).flows().stream()
        .anyMatch(f -> url.equals(f.url())), "the venue never saw the bypassed request");
  }

  @Test
  void theLoopGuardStillHoldsBehindAnUpstreamProxy() throws Exception {
    String url = "http://127.0.0.1:" + room.app().dashboardPort() + "/api/flows?loop";
    HttpResponse<String> response = get(room.client(null), url);
    assertEquals(403, response.statusCode());
    Flow refused = room.awaitFlow(f -> url.equals(f.url()));
    assertTrue(refused.error().startsWith("refused: "), refused.error());
    Thread.sleep(300);
    assertFalse(venue.app().store().query(FlowQuery.all()).flows().stream()
        .anyMatch(f -> url.equals(f.url())), "the refused request never reached the venue");
  }

  @Test
  void credentialsReachTheUpstreamProxyOnlyNeverAFlowNorTheOrigin() throws Exception {
    Path at = dir.resolve("auth");
    try (RunningPlainsight guarded = venue(at.resolve("venue"),
            "venue-secret");
        RunningPlainsight withLogin = room(at.resolve("room"), guarded.proxyPort(), CREDENTIALS)) {
      String plain = "http://" + VIA + ":" + http.port() + "/hello?login";
      assertEquals(200, get(withLogin.client(null), plain).statusCode());
      Flow relayed = guarded.awaitFlow(f -> plain.equals(f.url()));
      assertEquals("alice", relayed.participant(), "the venue checked the room's credentials");

      httpsHeaders.clear();
      String secure = "https://" + VIA + ":" + https.getAddress().getPort() + "/login";
      Curl.Result response = Curl.run("-s", "--cacert", withLogin.caPem().toString(), "-x",
          withLogin.proxyUrl(), secure);
      assertEquals("hello over tls\n", response.stdout(), response.stderr());
      guarded.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL && "alice".equals(f.participant()));
      assertEquals(1, httpsHeaders.size());
      assertFalse(httpsHeaders.get(0).keySet().stream()
          .anyMatch(h -> h.equalsIgnoreCase("Proxy-Authorization")),
          "the origin got no proxy credentials inside the intercepted TLS: " + httpsHeaders);

      String encoded = Base64.getEncoder().encodeToString(
          CREDENTIALS.getBytes(StandardCharsets.UTF_8));
      for (String url : List.of(plain, secure)) {
        Flow recorded = withLogin.awaitFlow(f -> url.equals(f.url()));
        String json = withLogin.api("/api/flows/" + recorded.id()).text();
        assertFalse(json.contains(encoded) || json.contains("venue-secret"), json);
      }
    }
  }

  @Test
  void anUpstreamProxyThatRefusesTheConnectIsAnErrorFlowAndA502() throws Exception {
    Path at = dir.resolve("refusing");
    try (RunningPlainsight guarded = venue(at.resolve("venue"),
            "venue-secret");
        RunningPlainsight noLogin = room(at.resolve("room"), guarded.proxyPort(), null)) {
      String secure = "https://" + VIA + ":" + https.getAddress().getPort() + "/no-login";
      IOException refused = assertThrows(IOException.class,
          () -> get(noLogin.clientTrustingPlainsight(), secure));
      assertTrue(String.valueOf(refused.getMessage()).contains("502"), refused.getMessage());
      Flow error = noLogin.awaitFlow(f -> f.kind() == FlowKind.ERROR && VIA.equals(f.host()));
      assertTrue(error.error().contains("through the upstream proxy 127.0.0.1:"
          + guarded.proxyPort()) && error.error().contains("refused the CONNECT"),
          error.error());
      assertEquals(502, error.status());
      assertStillServes(noLogin);
    }
  }

  @Test
  void anUpstreamProxyThatIsDownIsAnErrorFlowAndA502() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    try (RunningPlainsight stranded = room(dir.resolve("down"), closed, null)) {
      String url = "http://" + VIA + ":" + http.port() + "/hello?down";
      HttpResponse<String> response = get(stranded.client(null), url);
      assertEquals(502, response.statusCode());
      Flow error = stranded.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, error.kind());
      assertTrue(error.error().contains("through the upstream proxy 127.0.0.1:" + closed),
          error.error());
      String dns = lessonStep(stranded, error, "dns");
      assertTrue(dns.startsWith("Plainsight did no lookup"), dns);
      String tcp = lessonStep(stranded, error, "tcp");
      assertTrue(tcp.contains("through the upstream proxy 127.0.0.1:" + closed), tcp);
      String secure = "https://" + VIA + ":" + https.getAddress().getPort() + "/down";
      assertThrows(IOException.class, () -> get(stranded.clientTrustingPlainsight(), secure));
      Flow connectError = stranded.awaitFlow(f -> f.kind() == FlowKind.ERROR
          && "CONNECT".equals(f.method()));
      assertTrue(connectError.error().contains("through the upstream proxy 127.0.0.1:" + closed),
          connectError.error());
      assertStillServes(stranded);
    }
  }

  @Test
  void anUpstreamProxyThatAnswersGarbageIsAnErrorFlowAndA502() throws Exception {
    try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answering = new Thread(() -> {
        while (!garbage.isClosed()) {
          try (Socket s = garbage.accept()) {
            InputStream in = s.getInputStream();
            in.read(new byte[4096]);
            s.getOutputStream().write("SSH-2.0-not-a-proxy\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
          } catch (IOException closedOrReset) {
            // next
          }
        }
      });
      answering.setDaemon(true);
      answering.start();
      try (RunningPlainsight confused = room(dir.resolve("garbage"), garbage.getLocalPort(),
          null)) {
        String secure = "https://" + VIA + ":" + https.getAddress().getPort() + "/garbage";
        assertThrows(IOException.class, () -> get(confused.clientTrustingPlainsight(), secure));
        Flow error = confused.awaitFlow(f -> f.kind() == FlowKind.ERROR
            && "CONNECT".equals(f.method()));
        assertTrue(error.error().contains("through the upstream proxy 127.0.0.1:"
            + garbage.getLocalPort()), error.error());
        assertStillServes(confused);
      }
    }
  }

  @Test
  void aBadUpstreamProxyUrlSaysWhatToGive() {
    for (String bad : List.of("127.0.0.1:3128", "https://proxy:3128", "http://proxy",
        "http://user:pw@proxy:3128", "http://proxy:3128/path")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> UpstreamProxy.parse(bad, null, List.of()));
      assertTrue(e.getMessage().contains("http://HOST:PORT"), e.getMessage());
    }
    UpstreamProxy ok = UpstreamProxy.parse("http://Proxy.LAN:3128", CREDENTIALS, List.of("*.lan"));
    assertEquals("proxy.lan:3128", ok.hostPort());
    assertFalse(ok.toString().contains("venue-secret"), ok.toString());
    assertTrue(ok.bypasses("printer.LAN"));
    assertFalse(ok.bypasses("example.com"));
  }

  /** The proxy keeps serving after the failure: a bypassed host still answers. */
  private static void assertStillServes(RunningPlainsight proxy) throws Exception {
    assertEquals(200, get(proxy.client(null), "http://localhost:" + http.port() + "/hello?after")
        .statusCode());
  }

  private static String lessonStep(RunningPlainsight at, Flow flow, String id) {
    for (var step : at.api("/api/flows/" + flow.id()).json().path("lesson")) {
      if (id.equals(step.path("id").asText())) {
        return step.path("evidence").asText();
      }
    }
    throw new AssertionError("no step " + id);
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
