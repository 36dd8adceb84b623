package dev.plainsight.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.Options;
import dev.plainsight.Plainsight;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.MisbehavingServer;
import dev.plainsight.testing.MisbehavingServer.Fault;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks docs/LESSON.md's truth table: every situation is produced through one real Plainsight on
 * real sockets (curl, Java's SSLSocket and HttpClient, misbehaving servers, a black hole), and
 * each cell (eavesdropper / proxy state of each step) is compared with the lesson the API serves.
 */
class LessonTruthTableTest {
  static final Path TABLE = Path.of("docs", "LESSON.md");
  static final List<String> STEPS = List.of("dns", "tcp", "tls-hello", "certificate",
      "key-exchange", "finished", "application-data", "http");

  @TempDir static Path dir;
  static TestPki pki;
  static RunningPlainsight plainsight;
  static final List<AutoCloseable> servers = new ArrayList<>();
  static final Map<String, Flow> flows = new LinkedHashMap<>();
  /** The Plainsight behind an upstream proxy (the other one), and the rows whose flows it holds. */
  static RunningPlainsight chained;
  static final java.util.Set<String> chainedRows = new java.util.HashSet<>();

  @BeforeAll
  static void produceEverySituation() throws Exception {
    pki = TestPki.create("Table CA");
    TestPki stranger = TestPki.create("Stranger CA");
    Path pkiCa = pki.writeCaPem(dir);
    plainsight = RunningPlainsight.start(dir,
        Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
        .upstreamCaFiles(List.of(pkiCa))
        .passthrough(List.of("localhost"))
        .headTimeoutSeconds(1)
        // bounds how long the proxy lingers on an upstream whose certificate it rejected
        .idleTimeoutSeconds(3)
        // an unparseable address: the lookup fails on this machine, no query leaves it
        .staticHosts(Map.of("dns-fails.test", "[::zz]")).build());
    String proxy = plainsight.proxyUrl();
    String plainsightCa = plainsight.caPem().toString();

    BlackHole hole = BlackHole.open();
    servers.add(hole);
    String timeoutUrl = "http://127.0.0.1:" + hole.port() + "/timeout";
    CompletableFuture<Curl.Result> timingOut = CompletableFuture.supplyAsync(() -> curl(
        "-s", "--max-time", "30", "-x", proxy, timeoutUrl));

    OriginServer http = serve(OriginServer.http());
    curl("-s", "-x", proxy, http.url("/hello?new"), http.url("/hello?reused"));
    flows.put("plain-http-new", await(f -> http.url("/hello?new").equals(f.url())));
    flows.put("plain-http-reused", await(f -> http.url("/hello?reused").equals(f.url())));

    TestPki.ServerIdentity local = pki.issue("localhost", "127.0.0.1");
    OriginServer tls12 = serve(OriginServer.httpsTls12Only(local.serverContext()));
    OriginServer tls13 = serve(OriginServer.https(local.serverContext()));
    for (OriginServer tunnel : List.of(tls12, tls13)) {
      curl("-s", "--cacert", pkiCa.toString(), "-x", proxy,
          "https://localhost:" + tunnel.port() + "/hello");
    }
    flows.put("tunnel-tls12", await(f -> f.kind() == FlowKind.HTTPS_TUNNEL && f.port() == tls12.port()));
    flows.put("tunnel-tls13", await(f -> f.kind() == FlowKind.HTTPS_TUNNEL && f.port() == tls13.port()));

    OriginServer https = serve(OriginServer.https(pki.issue("127.0.0.1").serverContext()));
    curl("-s", "--cacert", plainsightCa, "-x", proxy, https.url("/hello?d1"), https.url("/hello?d2"));
    flows.put("decrypted", await(f -> https.url("/hello?d1").equals(f.url())));
    flows.put("decrypted-reused", await(f -> https.url("/hello?d2").equals(f.url())));

    OriginServer curlRefuses = serve(OriginServer.https(pki.issue("127.0.0.1").serverContext()));
    curl("-s", "-x", proxy, curlRefuses.url("/"));
    flows.put("refused-plaintext-alert", refusalOn(curlRefuses.port()));
    OriginServer socketRefuses = serve(OriginServer.https(pki.issue("127.0.0.1").serverContext()));
    try (RawProxyClient refused = RawProxyClient.intercepted(plainsight.proxyPort(),
        socketRefuses.port(), pki.clientContextTrusting(pki.caCertificate()))) {
      throw new AssertionError("Java's SSLSocket accepted a certificate it does not trust");
    } catch (IOException expected) {
      // the refusal is the point
    }
    flows.put("refused-encrypted-alert", refusalOn(socketRefuses.port()));
    OriginServer clientRefuses = serve(OriginServer.https(pki.issue("127.0.0.1").serverContext()));
    try {
      plainsight.client(pki.clientContextTrusting(pki.caCertificate())).send(
          HttpRequest.newBuilder(URI.create(clientRefuses.url("/"))).build(),
          HttpResponse.BodyHandlers.discarding());
      throw new AssertionError("Java's HttpClient accepted a certificate it does not trust");
    } catch (IOException expected) {
      // the refusal is the point
    }
    flows.put("refused-bare-close", refusalOn(clientRefuses.port()));

    curl("-s", "-x", proxy, "http://dns-fails.test/");
    flows.put("dns-failure", await(f -> "http://dns-fails.test/".equals(f.url())));

    int closedPort;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = closed.getLocalPort();
    }
    String refusedUrl = "http://127.0.0.1:" + closedPort + "/refused";
    curl("-s", "-x", proxy, refusedUrl);
    flows.put("connection-refused", await(f -> refusedUrl.equals(f.url())));

    for (Map.Entry<String, TestPki.ServerIdentity> bad : Map.of(
        "upstream-unknown-issuer", stranger.issue("127.0.0.1"),
        "upstream-wrong-host", pki.issue("wrong.example"),
        "upstream-expired", pki.issueExpired("127.0.0.1")).entrySet()) {
      OriginServer origin = serve(OriginServer.https(bad.getValue().serverContext()));
      curl("-s", "--cacert", plainsightCa, "-x", proxy, origin.url("/"));
      flows.put(bad.getKey(), await(f -> f.kind() == FlowKind.ERROR && f.port() == origin.port()));
    }

    MisbehavingServer resetting = new MisbehavingServer(Fault.RESETS_MID_BODY);
    servers.add(resetting);
    curl("-s", "-o", "/dev/null", "-x", proxy, resetting.url("/reset"));
    flows.put("upstream-reset-mid-response", await(f -> resetting.url("/reset").equals(f.url())));

    MisbehavingServer mute = new MisbehavingServer(Fault.CLOSES_WITHOUT_ANSWER,
        pki.issue("127.0.0.1").serverContext());
    servers.add(mute);
    curl("-s", "--cacert", plainsightCa, "-x", proxy, mute.url("/mute"));
    flows.put("decrypted-server-closes-without-answering", await(f -> mute.url("/mute").equals(f.url())));

    try (RawProxyClient slow = RawProxyClient.plain(plainsight.proxyPort())) {
      slow.send("GET " + http.url("/slow") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      slow.readHead();
    }
    flows.put("request-head-timeout", await(f -> http.url("/slow").equals(f.url())));

    dev.plainsight.testing.WebSocketOrigin ws = dev.plainsight.testing.WebSocketOrigin.plain();
    servers.add(ws);
    String wsUrl = "http://127.0.0.1:" + ws.port() + "/chat";
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + wsUrl + " HTTP/1.1\r\nHost: 127.0.0.1:" + ws.port() + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertTrue(new String(in.readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"));
      flows.put("websocket", await(f -> wsUrl.equals(f.url())));
    }

    produceTheChainedSituations(http, pkiCa);

    timingOut.join();
    flows.put("connect-timeout", await(f -> timeoutUrl.equals(f.url())));
  }

  /**
   * Through an upstream proxy: a second Plainsight ("venue") is the proxy; only it knows the
   * names {@code via.test} and {@code tunnel.via.test} (static names), and it tunnels both.
   */
  private static void produceTheChainedSituations(OriginServer http, Path pkiCa) {
    Path at = dir.resolve("chained");
    RunningPlainsight venue = serve(RunningPlainsight.start(at, dev.plainsight.Options
        .builder(0, 0, at.resolve("venue-ca"), at.resolve("venue-data"))
        .staticHosts(Map.of("via.test", "127.0.0.1", "tunnel.via.test", "127.0.0.1"))
        .passthrough(List.of("via.test", "tunnel.via.test")).build()));
    chained = serve(RunningPlainsight.start(at, dev.plainsight.Options
        .builder(0, 0, at.resolve("room-ca"), at.resolve("room-data"))
        .upstreamCaFiles(List.of(pkiCa))
        .passthrough(List.of("tunnel.via.test"))
        .upstreamProxy("http://127.0.0.1:" + venue.proxyPort()).build()));
    OriginServer tls = serve(OriginServer.https(
        pki.issue("via.test", "tunnel.via.test").serverContext()));
    String plainUrl = "http://via.test:" + http.port() + "/hello?via";
    String decryptedUrl = "https://via.test:" + tls.port() + "/hello?via";
    curl("-s", "-x", chained.proxyUrl(), plainUrl);
    curl("-s", "--cacert", chained.caPem().toString(), "-x", chained.proxyUrl(), decryptedUrl);
    curl("-s", "--cacert", pkiCa.toString(), "-x", chained.proxyUrl(),
        "https://tunnel.via.test:" + tls.port() + "/hello");
    flows.put("upstream-plain-http", chained.awaitFlow(f -> plainUrl.equals(f.url())));
    flows.put("upstream-decrypted", chained.awaitFlow(f -> decryptedUrl.equals(f.url())));
    flows.put("upstream-tunnel", chained.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && "tunnel.via.test".equals(f.host())));
    chainedRows.addAll(List.of("upstream-plain-http", "upstream-decrypted", "upstream-tunnel"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (plainsight != null) {
      plainsight.close();
    }
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  static Stream<Arguments> rows() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(TABLE)) {
      if (line.startsWith("| situation |")) {
        assertEquals("| situation | " + String.join(" | ", STEPS) + " |", line.trim(),
            "the table's columns are the lesson's steps, in order");
        inTable = true;
        continue;
      }
      if (inTable && line.startsWith("|---")) {
        continue;
      }
      if (inTable && !line.startsWith("|")) {
        break;
      }
      if (inTable) {
        List<String> cells = Arrays.stream(line.split("\\|")).map(String::trim)
            .filter(c -> !c.isEmpty()).toList();
        rows.add(Arguments.of(cells.get(0), cells.subList(1, cells.size())));
      }
    }
    assertEquals(22, rows.size(), "every situation of the issue has a row");
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theServedLessonMatchesTheTable(String situation, List<String> expected) {
    Flow flow = flows.get(situation);
    assertTrue(flow != null, "no flow produced for " + situation);
    RunningPlainsight owner = chainedRows.contains(situation) ? chained : plainsight;
    JsonNode lesson = owner.api("/api/flows/" + flow.id()).json().path("lesson");
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < STEPS.size(); i++) {
      JsonNode step = lesson.get(i);
      assertEquals(STEPS.get(i), step.path("id").asText());
      String eavesdropper = step.path("eavesdropper").path("state").asText();
      String proxy = step.path("proxy").path("state").asText();
      assertEquals(proxy, step.path("state").asText(), "the top-level state is the proxy's");
      String actual = eavesdropper.equals(proxy) ? eavesdropper : eavesdropper + " / " + proxy;
      if (!actual.equals(expected.get(i))) {
        wrong.add(STEPS.get(i) + ": table says " + expected.get(i) + ", lesson says " + actual
            + " (" + step.path("evidence").asText() + ")");
      }
    }
    assertEquals(List.of(), wrong, situation + ": " + flow.kind().wire() + " " + flow.error());
  }

  @Test
  void theEavesdropperSeesADecryptedFlowExactlyAsATunnel() {
    assertEquals(eavesdropperView(flows.get("tunnel-tls13")), eavesdropperView(flows.get("decrypted")));
  }

  @Test
  void eachRefusalSaysEitherWhichAlertOrThatThereWasNone() {
    assertRefusal("refused-plaintext-alert", true, false, "sent the alert unknown_ca (48), in clear");
    assertRefusal("refused-encrypted-alert", true, true, "sent the alert certificate_unknown (46), encrypted");
    assertRefusal("refused-bare-close", false, false, "closed the connection without sending an alert");
  }

  @Test
  void theKeyExchangeTellsTheClassicStoryAgainstThisHandshake() {
    String evidence = step(flows.get("decrypted"), "key-exchange").path("evidence").asText();
    assertTrue(evidence.contains("premaster secret") && evidence.contains("This handshake did not")
        && evidence.contains("TLS 1.3") && evidence.contains("Forward secrecy")
        && evidence.contains("with the client (") && evidence.contains("with the server ("),
        evidence);
  }

  @Test
  void aReusedConnectionNamesTheFlowThatOpenedIt() {
    for (String[] pair : new String[][] {{"plain-http-reused", "plain-http-new"},
        {"decrypted-reused", "decrypted"}}) {
      long opener = flows.get(pair[1]).id();
      JsonNode detail = plainsight.api("/api/flows/" + flows.get(pair[0]).id()).json();
      assertEquals(opener, detail.path("wire").path("connectionOpenedBy").asLong(), pair[0]);
      String tcp = step(flows.get(pair[0]), "tcp").path("evidence").asText();
      assertTrue(tcp.contains("opened by flow #" + opener), tcp);
    }
    assertTrue(plainsight.api("/api/flows/" + flows.get("plain-http-new").id()).json()
        .path("wire").path("connectionOpenedBy").isNull(), "the opener reused nothing");
  }

  @Test
  void behindAnUpstreamProxyTheLessonSaysItResolvedAndConnected() {
    for (String situation : chainedRows) {
      JsonNode detail = chained.api("/api/flows/" + flows.get(situation).id()).json();
      String upstream = detail.path("wire").path("upstreamProxy").asText();
      assertTrue(upstream.startsWith("127.0.0.1:"), situation + ": " + detail.path("wire"));
      String dns = stepOf(detail, "dns");
      String tcp = stepOf(detail, "tcp");
      assertTrue(dns.startsWith("the upstream proxy " + upstream + " looked up "), dns);
      assertTrue(tcp.contains("proxy → the upstream proxy " + upstream)
          && tcp.contains("which connected to " + flows.get(situation).host() + ":"), tcp);
      assertTrue(detail.path("wire").path("dns").isNull(), "Plainsight did no lookup: " + situation);
    }
  }

  private static String stepOf(JsonNode detail, String id) {
    for (JsonNode step : detail.path("lesson")) {
      if (step.path("id").asText().equals(id)) {
        return step.path("evidence").asText();
      }
    }
    throw new AssertionError("no step " + id);
  }

  @Test
  void aConnectTimeoutIsToldApartFromARefusal() {
    String timeout = step(flows.get("connect-timeout"), "tcp").path("evidence").asText();
    String refused = step(flows.get("connection-refused"), "tcp").path("evidence").asText();
    assertTrue(timeout.contains("never accepted the connection"), timeout);
    assertFalse(refused.contains("never accepted"), refused);
  }

  private void assertRefusal(String situation, boolean sentAlert, boolean encrypted, String sentence) {
    JsonNode detail = plainsight.api("/api/flows/" + flows.get(situation).id()).json();
    JsonNode refusal = detail.path("refusal");
    assertEquals(sentAlert, refusal.path("sentAlert").asBoolean(), refusal.toString());
    if (sentAlert) {
      assertEquals(encrypted, refusal.path("encrypted").asBoolean(), refusal.toString());
    }
    assertTrue(refusal.path("sentence").asText().startsWith(sentence), refusal.toString());
    String certificate = step(flows.get(situation), "certificate").path("evidence").asText();
    assertTrue(certificate.contains(refusal.path("sentence").asText()), certificate);
    assertFalse(sentAlert && certificate.contains("without sending an alert"), certificate);
  }

  private static List<String> eavesdropperView(Flow flow) {
    List<String> view = new ArrayList<>();
    for (JsonNode step : plainsight.api("/api/flows/" + flow.id()).json().path("lesson")) {
      view.add(step.path("id").asText() + " " + step.path("eavesdropper").path("state").asText()
          + ": " + step.path("eavesdropper").path("sees").asText());
    }
    return view;
  }

  private static JsonNode step(Flow flow, String id) {
    for (JsonNode step : plainsight.api("/api/flows/" + flow.id()).json().path("lesson")) {
      if (step.path("id").asText().equals(id)) {
        return step;
      }
    }
    throw new AssertionError("no step " + id);
  }

  private static Flow refusalOn(int port) {
    return await(f -> f.kind() == FlowKind.HTTPS_REJECTED && f.port() == port);
  }

  private static Flow await(Predicate<Flow> match) {
    return plainsight.awaitFlow(match);
  }

  private static <T extends AutoCloseable> T serve(T server) {
    servers.add(server);
    return server;
  }

  private static Curl.Result curl(String... args) {
    try {
      return Curl.run(args);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A listener that never accepts, its queue filled: the kernel drops further connection
   * attempts, so a connect to it neither succeeds nor fails until it times out.
   */
  private record BlackHole(ServerSocket listener, List<Socket> fillers) implements AutoCloseable {
    static BlackHole open() throws IOException {
      ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      List<Socket> fillers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Socket filler = new Socket();
        try {
          filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
              listener.getLocalPort()), 200);
          fillers.add(filler);
        } catch (SocketTimeoutException full) {
          filler.close();
          return new BlackHole(listener, fillers);
        }
      }
      throw new IllegalStateException("the listen queue never filled: no black hole here");
    }

    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      for (Socket filler : fillers) {
        filler.close();
      }
      listener.close();
    }
  }
}
