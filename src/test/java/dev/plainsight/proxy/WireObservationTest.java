package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import dev.plainsight.tls.AlertInfo;
import dev.plainsight.tls.TlsObservation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eavesdropper's view of real connections: hellos, certificates, alerts, the record ladder. */
class WireObservationTest {
  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer tls13Origin;
  static OriginServer tls12Origin;
  static RunningPlainsight plainsight;
  static Path originCa;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Wire CA");
    tls13Origin = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
    tls12Origin = OriginServer.httpsTls12Only(pki.issue("127.0.0.1", "localhost").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"));
    originCa = pki.writeCaPem(dir);
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    tls13Origin.close();
    tls12Origin.close();
  }

  @Test
  void aTunnelShowsTheHellosAndTheLadderButNoHttpContent() throws Exception {
    String url = "https://localhost:" + tls13Origin.port() + "/hello?tunnel13";
    Curl.Result result = Curl.run("-s", "--http1.1", "-x", plainsight.proxyUrl(), "--cacert",
        originCa.toString(), url);
    assertEquals(0, result.exitCode(), result.stderr());

    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && f.port() == tls13Origin.port());
    TlsObservation seen = flow.wire().clientSide();
    assertEquals("localhost", seen.clientHello().sni());
    assertTrue(seen.clientHello().alpn().contains("http/1.1"), seen.clientHello().alpn().toString());
    assertEquals("TLS 1.3", seen.serverHello().version());
    assertTrue(seen.serverHello().cipherSuite().startsWith("TLS_"), seen.serverHello().cipherSuite());
    assertNotNull(seen.serverHello().keyShareGroup());
    assertTrue(seen.serverCertificates().isEmpty(), "under TLS 1.3 the certificate is encrypted");
    assertEquals(flow.requestBytes(), seen.clientBytes(), "every byte the client sent is in a record");
    assertEquals(flow.responseBytes(), seen.serverBytes(), "every byte the client received too");
    assertTrue(seen.ladder().stream().anyMatch(r -> r.contentType().equals("application_data")));
    assertNull(flow.request());
    assertNull(flow.response());

    JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
    assertEquals("encrypted", step(detail, "certificate").path("state").asText());
    assertTrue(step(detail, "certificate").path("evidence").asText().contains("encrypted under TLS 1.3"));
    assertEquals("encrypted", step(detail, "http").path("state").asText());
    assertEquals("clear", step(detail, "tls-hello").path("state").asText());
    assertTrue(step(detail, "key-exchange").path("evidence").asText().contains("ephemeral"));
  }

  @Test
  void aTls12TunnelShowsTheCertificateChainInClear() throws Exception {
    String url = "https://localhost:" + tls12Origin.port() + "/hello?tunnel12";
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        originCa.toString(), url);
    assertEquals(0, result.exitCode(), result.stderr());

    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && f.port() == tls12Origin.port());
    TlsObservation seen = flow.wire().clientSide();
    assertEquals("TLS 1.2", seen.negotiatedVersionName());
    assertFalse(seen.serverCertificates().isEmpty());
    assertTrue(seen.serverCertificates().get(0).subjectAltNames().contains("DNS:localhost"),
        seen.serverCertificates().get(0).subjectAltNames().toString());
    assertTrue(seen.serverCertificates().get(0).issuer().contains("Wire CA"));
    JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
    assertEquals("clear", step(detail, "certificate").path("state").asText());
  }

  @Test
  void aRejectedFlowShowsTheAlertAsItAppearedOnTheWire() throws Exception {
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(),
        tls13Origin.url("/hello?rejected-wire"));
    assertEquals(60, result.exitCode());
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
        && f.port() == tls13Origin.port() && "unknown_ca (48)".equals(f.tls().alert()));
    AlertInfo alert = flow.wire().clientSide().firstClientAlert();
    assertEquals(48, alert.code());
    assertEquals("fatal", alert.level());
    JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
    assertEquals("did-not-happen", step(detail, "http").path("state").asText());
    assertTrue(step(detail, "certificate").path("evidence").asText().contains("unknown_ca"));
  }

  @Test
  void aDecryptedFlowShowsBothHandshakesAndBothCertificates() throws Exception {
    String url = tls12Origin.url("/hello?decrypted-wire");
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert",
        plainsight.caPem().toString(), url);
    assertEquals(0, result.exitCode(), result.stderr());

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());
    TlsObservation clientSide = flow.wire().clientSide();
    TlsObservation serverSide = flow.wire().serverSide();
    assertNotNull(clientSide.clientHello(), "curl's hello to the proxy");
    assertNotNull(serverSide, "the proxy's own handshake with the server is observed");
    assertEquals("127.0.0.1", flow.host());
    assertEquals("TLS 1.2", serverSide.serverHello().version(), "the origin only speaks TLS 1.2");
    assertTrue(serverSide.serverCertificates().get(0).issuer().contains("Wire CA"),
        "the real chain crossed the proxy's upstream wire in clear");
    assertTrue(flow.tls().forgedLeaf().issuer().contains("Plainsight CA"));
    assertNotNull(flow.wire().dns());
    assertEquals(List.of("127.0.0.1"), flow.wire().dns().addresses());

    JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
    List<String> ids = new ArrayList<>();
    detail.path("lesson").forEach(s -> ids.add(s.path("id").asText()));
    assertEquals(List.of("dns", "tcp", "tls-hello", "certificate", "key-exchange", "finished",
        "application-data", "http"), ids);
    assertEquals("decrypted-by-proxy", step(detail, "http").path("state").asText());
    assertEquals("decrypted-by-proxy", step(detail, "certificate").path("state").asText());
    assertTrue(detail.path("wire").path("serverSide").path("serverHello").path("cipherSuite")
        .asText().startsWith("TLS_"));
  }

  private static JsonNode step(JsonNode detail, String id) {
    for (JsonNode step : detail.path("lesson")) {
      if (step.path("id").asText().equals(id)) {
        return step;
      }
    }
    throw new AssertionError("no lesson step " + id + " in " + detail.path("lesson"));
  }
}
