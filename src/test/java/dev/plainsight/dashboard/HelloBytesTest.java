package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Chromium;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake byte by byte, for hellos real clients sent through a real Plainsight: curl
 * (intercepted, both handshakes), OpenSSL s_client with TLS 1.2 and with TLS 1.3, Java's
 * HttpClient and headless Chromium (tunnelled to "localhost"). Each /hello answer's leaves tile its
 * record with no gap or overlap, and the SNI leaf holds the name the client sent.
 */
class HelloBytesTest {
  @TempDir static Path dir;
  static TestPki pki;
  static RunningPlainsight plainsight;
  static Path originCa;
  static final List<OriginServer> origins = new ArrayList<>();

  @BeforeAll
  static void start() {
    pki = TestPki.create("Hello CA");
    plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"));
    originCa = pki.writeCaPem(dir);
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origins.forEach(OriginServer::close);
  }

  static OriginServer origin() {
    OriginServer origin = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
    origins.add(origin);
    return origin;
  }

  @Test
  void curlsInterceptedFlowShowsBothHandshakesByteByByteAndItsFingerprints() throws Exception {
    OriginServer origin = origin();
    String url = origin.url("/hello?bytes");
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        plainsight.caPem().toString(), url);
    assertEquals(0, result.exitCode(), result.stderr());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());

    JsonNode client = hello(flow, "client", "client");
    assertFalse(hasLeaf(client.path("fields"), "server name"),
        "curl sends no SNI for an IP literal: " + client);
    assertTilesAndIsAHello(hello(flow, "server", "client"), 2);
    assertTilesAndIsAHello(hello(flow, "upstream/client", "upstream"), 1);
    assertTilesAndIsAHello(hello(flow, "upstream/server", "upstream"), 2);

    JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
    assertTrue(detail.path("tls").path("ja3").asText().matches("[0-9a-f]{32}"), detail.path("tls").toString());
    assertTrue(detail.path("tls").path("ja4").asText()
        .matches("t1[23]i\\d{4}(h1|h2|00)_[0-9a-f]{12}_[0-9a-f]{12}"), detail.path("tls").toString());
    assertTrue(detail.path("wire").path("clientSide").path("clientHelloRecord").isMissingNode(),
        "the bytes are answered by /hello only");
  }

  @Test
  void curlsTunnelledHelloNamesLocalhost() throws Exception {
    OriginServer origin = origin();
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        originCa.toString(), "https://localhost:" + origin.port() + "/");
    assertEquals(0, result.exitCode(), result.stderr());
    assertSniTiles(tunnel(origin), "localhost");
  }

  @Test
  void theLessonsHelloStepGivesTheEavesdropperTheClientsFingerprint() throws Exception {
    OriginServer origin = origin();
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        originCa.toString(), "https://localhost:" + origin.port() + "/");
    assertEquals(0, result.exitCode(), result.stderr());
    Flow flow = tunnel(origin);

    com.fasterxml.jackson.databind.JsonNode detail =
        plainsight.api("/api/flows/" + flow.id()).json();
    String ja4 = detail.path("tls").path("ja4").asText();
    assertTrue(ja4.matches("t1[0-3]d\\d{4}.._[0-9a-f]{12}_[0-9a-f]{12}"), ja4);
    com.fasterxml.jackson.databind.JsonNode hello = null;
    for (com.fasterxml.jackson.databind.JsonNode step : detail.path("lesson")) {
      if ("tls-hello".equals(step.path("id").asText())) {
        hello = step;
      }
    }
    assertTrue(hello != null, detail.path("lesson").toString());
    assertTrue(hello.path("evidence").asText().contains("JA4 " + ja4), hello.toString());
    assertEquals("clear", hello.path("eavesdropper").path("state").asText());
  }

  @Test
  void opensslTls12HelloTilesAndNamesTheServer() throws Exception {
    OriginServer origin = origin();
    sClient(origin, "-tls1_2");
    Flow flow = tunnel(origin);
    assertSniTiles(flow, "localhost");
    assertTrue(hello(flow, "server", "client").path("fields").toString().contains("TLS 1.2"));
  }

  @Test
  void opensslTls13HelloTilesAndNamesTheServer() throws Exception {
    OriginServer origin = origin();
    sClient(origin, "-tls1_3");
    Flow flow = tunnel(origin);
    assertSniTiles(flow, "localhost");
    assertTrue(hello(flow, "server", "client").path("fields").toString().contains("TLS 1.3"));
  }

  @Test
  void javaHttpClientsHelloTilesAndNamesTheServer() throws Exception {
    OriginServer origin = OriginServer.https(pki.issue("vm", "127.0.0.1").serverContext());
    origins.add(origin);
    String url = "https://vm:" + origin.port() + "/hello?java";
    HttpResponse<String> response = plainsight.clientTrustingPlainsight().send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());
    assertSniTiles(flow, "vm");
  }

  @Test
  void chromiumsHelloWithGreaseTilesAndNamesTheServer() throws Exception {
    OriginServer origin = origin();
    try (Chromium.Browser browser = Chromium.launchThroughProxy(plainsight.proxyPort())) {
      browser.open("https://localhost:" + origin.port() + "/");
      Flow flow = tunnel(origin);
      JsonNode client = assertSniTiles(flow, "localhost");
      assertTrue(client.path("fields").toString().contains("GREASE"), "Chromium sends GREASE");
      JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
      assertTrue(detail.path("tls").path("ja4").asText().startsWith("t13d"),
          detail.path("tls").toString());
    }
  }

  @Test
  void aFlowWithoutTlsAnswers404WithAReason() throws Exception {
    OriginServer plain = OriginServer.http();
    origins.add(plain);
    String url = plain.url("/plain");
    Curl.run("-s", "-x", plainsight.proxyUrl(), url);
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    RunningPlainsight.ApiResponse answer =
        plainsight.api("/api/flows/" + flow.id() + "/hello/client");
    assertEquals(404, answer.status());
    assertTrue(answer.text().contains("no TLS connection from the client"), answer.text());
  }

  private static void sClient(OriginServer origin, String version) throws Exception {
    Process process = new ProcessBuilder("openssl", "s_client", "-proxy",
        "127.0.0.1:" + plainsight.proxyPort(), "-connect", "localhost:" + origin.port(),
        "-servername", "localhost", version, "-CAfile", originCa.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException closedEarly) {
      // s_client may end before reading stdin; its hello is what matters
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl s_client " + version + " did not finish");
    }
  }

  private static Flow tunnel(OriginServer origin) {
    return plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && f.port() == origin.port() && f.wire() != null && f.wire().clientSide() != null
        && f.wire().clientSide().clientHelloRecord() != null
        && f.wire().clientSide().serverHello() != null);
  }

  private static JsonNode assertSniTiles(Flow flow, String name) {
    JsonNode client = hello(flow, "client", "client");
    assertEquals(name, leafValue(client.path("fields"), "server name"), client.toString());
    assertTilesAndIsAHello(hello(flow, "server", "client"), 2);
    return client;
  }

  private static JsonNode hello(Flow flow, String which, String side) {
    RunningPlainsight.ApiResponse answer =
        plainsight.api("/api/flows/" + flow.id() + "/hello/" + which);
    assertEquals(200, answer.status(), answer.text());
    JsonNode json = answer.json();
    assertEquals(side, json.path("side").asText());
    assertTilesAndIsAHello(json, which.endsWith("client") ? 1 : 2);
    return json;
  }

  /** Leaves tile recordHex exactly; the record is a handshake record holding a hello. */
  static void assertTilesAndIsAHello(JsonNode json, int handshakeType) {
    String hex = json.path("recordHex").asText();
    assertEquals("16", hex.substring(0, 2));
    assertEquals(handshakeType, Integer.parseInt(hex.substring(10, 12), 16));
    List<JsonNode> leaves = new ArrayList<>();
    collect(json.path("fields"), leaves);
    int at = 0;
    for (JsonNode leaf : leaves) {
      assertEquals(at, leaf.path("offset").asInt(), "gap or overlap at " + leaf);
      assertTrue(leaf.path("length").asInt() > 0, leaf.toString());
      at += leaf.path("length").asInt();
    }
    assertEquals(hex.length() / 2, at, "the leaves cover the record");
    assertTrue(json.path("problem").isNull(), json.path("problem").toString());
  }

  private static void collect(JsonNode fields, List<JsonNode> leaves) {
    for (JsonNode field : fields) {
      if (field.has("children")) {
        collect(field.path("children"), leaves);
      } else {
        leaves.add(field);
      }
    }
  }

  private static boolean hasLeaf(JsonNode fields, String name) {
    return leafValue(fields, name) != null;
  }

  private static String leafValue(JsonNode fields, String name) {
    List<JsonNode> leaves = new ArrayList<>();
    collect(fields, leaves);
    return leaves.stream().filter(l -> name.equals(l.path("name").asText()))
        .map(l -> l.path("value").asText()).findFirst().orElse(null);
  }
}
