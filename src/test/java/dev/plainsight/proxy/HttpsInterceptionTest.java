package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsInterceptionTest {
  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer origin;
  static OriginServer wrongHost;
  static OriginServer unknownIssuer;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Test Origin CA");
    origin = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
    wrongHost = OriginServer.https(pki.issue("wrong.example").serverContext());
    unknownIssuer = OriginServer.https(
        TestPki.create("Stranger CA").issue("127.0.0.1").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"));
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
    wrongHost.close();
    unknownIssuer.close();
  }

  @Test
  void aClientTrustingTheCaIsDecryptedAndCapturedWithAbsoluteUrl() throws Exception {
    String url = origin.url("/echo?q=secret");
    HttpResponse<String> response = plainsight.clientTrustingPlainsight().send(
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString("user=alice&password=hunter2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("user=alice&password=hunter2", response.body());

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());
    assertEquals("POST", flow.method());
    assertEquals(200, flow.status());
    assertEquals("user=alice&password=hunter2",
        new String(flow.request().body().captured(), StandardCharsets.UTF_8));
    assertNotNull(flow.tls());
    assertTrue(flow.tls().version().startsWith("TLSv1."), flow.tls().version());
    assertNotNull(flow.tls().cipher());
    assertTrue(flow.tls().forgedLeaf().issuer().contains("Plainsight CA"),
        "the client saw a leaf issued by Plainsight: " + flow.tls().forgedLeaf().issuer());
    assertTrue(flow.tls().forgedLeaf().subjectAltNames().contains("IP:127.0.0.1"),
        flow.tls().forgedLeaf().subjectAltNames().toString());
    assertTrue(flow.tls().upstreamChain().get(0).issuer().contains("Test Origin CA"),
        "the real chain is kept beside the forged one");
  }

  @Test
  void curlTrustingTheCaIsDecrypted() throws Exception {
    String url = origin.url("/hello");
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        plainsight.caPem().toString(), url);
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("hello from the origin\n", result.stdout());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()) && f.kind() == FlowKind.HTTPS_DECRYPTED);
    assertEquals("hello from the origin\n",
        new String(flow.response().body().captured(), StandardCharsets.UTF_8));
  }

  @Test
  void aNewConnectionToAKnownServerStillShowsTheServersRealCertificate() throws Exception {
    for (String path : List.of("/hello?first-connection", "/hello?second-connection")) {
      Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
          plainsight.caPem().toString(), origin.url(path));
      assertEquals(0, result.exitCode(), result.stderr());
    }

    Flow second = plainsight.awaitFlow(f -> f.url() != null
        && f.url().endsWith("/hello?second-connection"));
    assertEquals(FlowKind.HTTPS_DECRYPTED, second.kind());
    assertTrue(second.tls().upstreamChain().get(0).issuer().contains("Test Origin CA"),
        "a resumed upstream session still knows the server's chain");
  }

  @Test
  void curlNotTrustingTheCaRefusesWithUnknownCa() throws Exception {
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), origin.url("/hello?curl-refuses"));
    assertEquals(60, result.exitCode(), "curl: SSL certificate problem: " + result.stderr());

    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
        && f.tls() != null && "unknown_ca (48)".equals(f.tls().alert()));
    assertEquals("127.0.0.1", flow.host());
    assertEquals(origin.port(), flow.port());
    assertNull(flow.request(), "nothing of the request is captured: it was never sent");
    assertTrue(flow.tls().forgedLeaf().issuer().contains("Plainsight CA"),
        "the refused (forged) certificate is shown");
    assertTrue(flow.tls().upstreamChain().get(0).issuer().contains("Test Origin CA"),
        "beside the real one");
  }

  @Test
  void javasHttpsUrlConnectionNotTrustingTheCaRefusesWithCertificateUnknown() throws Exception {
    URL url = new URL(origin.url("/hello?java-socket-refuses"));
    HttpsURLConnection connection = (HttpsURLConnection) url.openConnection(
        new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", plainsight.proxyPort())));
    connection.setSSLSocketFactory(pki.clientContextTrusting().getSocketFactory());
    assertThrows(SSLHandshakeException.class, connection::getInputStream);

    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
        && f.tls() != null && f.tls().alert().startsWith("certificate_unknown (46"));
    assertEquals(origin.port(), flow.port());
  }

  @Test
  void javasHttpClientNotTrustingTheCaClosesWithoutAnAlert() {
    String url = origin.url("/hello?java-client-refuses");
    assertThrows(IOException.class, () -> plainsight.client(pki.clientContextTrusting()).send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()));
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
        && f.tls() != null && f.tls().alert().equals("closed without alert"));
    assertEquals(origin.port(), flow.port());
  }

  @Test
  void aPassthroughHostIsTunnelledAndNoneOfItsContentCaptured() throws Exception {
    String url = "https://localhost:" + origin.port() + "/hello";
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        pki.writeCaPem(dir).toString(), url);
    assertEquals(0, result.exitCode(), "the client trusts the real server's own CA: "
        + result.stderr());
    assertEquals("hello from the origin\n", result.stdout());

    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && "localhost".equals(f.host()));
    assertEquals("CONNECT", flow.method());
    assertEquals(origin.port(), flow.port());
    assertNull(flow.request());
    assertNull(flow.response());
    assertTrue(flow.requestBytes() > 0 && flow.responseBytes() > 0,
        "bytes each way are counted: " + flow.requestBytes() + "/" + flow.responseBytes());
    assertEquals("localhost", flow.tls().sni());
    assertEquals("TLS 1.3", flow.tls().version());
  }

  @Test
  void aWrongHostCertificateUpstreamIsAnErrorAndAnExplained502() throws Exception {
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        plainsight.caPem().toString(), "-w", "%{http_connect}", wrongHost.url("/hello"));
    assertTrue(result.stdout().endsWith("502"), "CONNECT answered 502: " + result.stdout());

    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR
        && f.port() == wrongHost.port());
    assertTrue(flow.error().contains("wrong.example") && flow.error().contains("127.0.0.1"),
        flow.error());
  }

  @Test
  void anUpstreamFromAnUnknownIssuerIsAnError() throws Exception {
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        plainsight.caPem().toString(), unknownIssuer.url("/hello"));
    assertTrue(result.exitCode() != 0);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR
        && f.port() == unknownIssuer.port());
    assertTrue(flow.error().toLowerCase().contains("unknown issuer"), flow.error());
  }
}
