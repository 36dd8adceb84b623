package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.MisbehavingServer;
import dev.plainsight.testing.MisbehavingServer.Fault;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream faults: the client gets a 502 or 504 that explains, the flow is an error with the reason. */
class UpstreamFaultTest {
  @TempDir static Path dir;
  static TestPki pki;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Fault CA");
    plainsight = RunningPlainsight.start(dir,
        Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
        .upstreamCaFiles(List.of(pki.writeCaPem(dir)))
        .idleTimeoutSeconds(3).build());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
  }

  @Test
  void aDnsFailureIsAnExplained502() throws Exception {
    String url = "http://no-such-host.invalid/";
    Curl.Result result = Curl.run("-s", "-w", "\n%{http_code}", "-x", plainsight.proxyUrl(), url);
    assertTrue(result.stdout().endsWith("502"), result.stdout());
    assertTrue(result.stdout().contains("DNS lookup failed"), result.stdout());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertTrue(flow.error().contains("no-such-host.invalid"), flow.error());
  }

  @Test
  void aServerThatNeverAnswersIsA504() throws Exception {
    try (MisbehavingServer silent = new MisbehavingServer(Fault.NEVER_ANSWERS)) {
      String url = silent.url("/silent");
      Curl.Result result = Curl.run("-s", "-w", "\n%{http_code}", "-x", plainsight.proxyUrl(), url);
      assertTrue(result.stdout().endsWith("504"), result.stdout());
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind());
      assertTrue(flow.error().contains("did not answer"), flow.error());
    }
  }

  @Test
  void aServerThatClosesWithoutAnsweringIsAnExplained502() throws Exception {
    try (MisbehavingServer mute = new MisbehavingServer(Fault.CLOSES_WITHOUT_ANSWER)) {
      String url = mute.url("/mute");
      Curl.Result result = Curl.run("-s", "-w", "\n%{http_code}", "-x", plainsight.proxyUrl(), url);
      assertTrue(result.stdout().endsWith("502"), result.stdout());
      assertTrue(result.stdout().contains("closed the connection without answering"),
          result.stdout());
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind());
      assertTrue(flow.error().contains("closed the connection without answering"), flow.error());
    }
  }

  @Test
  void anInterceptedServerThatClosesWithoutAnsweringIsNotBlamedOnTheClient() throws Exception {
    try (MisbehavingServer mute = new MisbehavingServer(Fault.CLOSES_WITHOUT_ANSWER,
        pki.issue("127.0.0.1").serverContext())) {
      String url = mute.url("/mute");
      Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert", plainsight.caPem().toString(), url);
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind());
      assertEquals("the server 127.0.0.1:" + mute.port() + " closed the connection without "
          + "answering; the client's connection was closed with it", flow.error());
    }
  }

  @Test
  void aGetTheServerDropsOnItsKeptAliveConnectionIsSentAgainOnANewOne() throws Exception {
    try (MisbehavingServer closing = new MisbehavingServer(Fault.CLOSES_ON_SECOND_REQUEST)) {
      String first = closing.url("/first");
      String second = closing.url("/second");
      Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), first, second);
      assertEquals("okok", result.stdout(), "both answered, the second after a new connection");
      assertEquals(2, closing.connections());
      Flow dropped = plainsight.awaitFlow(f -> second.equals(f.url()) && f.kind() == FlowKind.ERROR);
      assertTrue(dropped.error().contains("sent the request again on a new connection"),
          dropped.error());
      Flow answered = plainsight.awaitFlow(f -> second.equals(f.url()) && f.kind() == FlowKind.HTTP);
      assertEquals(200, answered.status());
    }
  }

  @Test
  void aPostTheServerDropsOnItsKeptAliveConnectionIsNotSentTwiceButExplained() throws Exception {
    try (MisbehavingServer closing = new MisbehavingServer(Fault.CLOSES_ON_SECOND_REQUEST)) {
      String first = closing.url("/basket");
      String order = closing.url("/order");
      Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), first, "--next", "-s",
          "-x", plainsight.proxyUrl(), "-d", "quantity=1", "-w", "\n%{http_code}", order);
      assertTrue(result.stdout().startsWith("ok"), result.stdout());
      assertTrue(result.stdout().endsWith("502"), result.stdout());
      assertEquals(1, closing.connections(), "a POST is never sent twice");
      Flow flow = plainsight.awaitFlow(f -> order.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind());
      assertTrue(flow.error().contains("closed the connection without answering"), flow.error());
    }
  }

  @Test
  void aResetMidBodyKeepsWhatArrivedAndIsAnError() throws Exception {
    try (MisbehavingServer resetting = new MisbehavingServer(Fault.RESETS_MID_BODY)) {
      String url = resetting.url("/reset");
      Curl.Result result = Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(), url);
      assertTrue(result.exitCode() != 0, "curl sees the truncated body");
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind());
      assertEquals(200, flow.status());
      assertTrue(flow.response().body().size() > 0, "what arrived is kept");
    }
  }

  @Test
  void aMalformedResponseIsAnError() throws Exception {
    try (MisbehavingServer garbage = new MisbehavingServer(Fault.MALFORMED_RESPONSE)) {
      String url = garbage.url("/garbage");
      Curl.Result result = Curl.run("-s", "-w", "\n%{http_code}", "-x", plainsight.proxyUrl(), url);
      assertTrue(result.exitCode() != 0 || result.stdout().endsWith("502"), result.stdout());
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind(), flow.status() + " " + flow.error() + " " + flow.response());
    }
  }

  @Test
  void aCloseDuringTheTlsHandshakeIsAnExplained502() throws Exception {
    try (MisbehavingServer closing = new MisbehavingServer(Fault.CLOSES_AT_ONCE)) {
      Curl.Result result = Curl.run("-s", "-w", "%{http_connect}", "-x", plainsight.proxyUrl(),
          "--cacert", plainsight.caPem().toString(), "https://127.0.0.1:" + closing.port() + "/");
      assertTrue(result.stdout().endsWith("502"), result.stdout());
      Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.port() == closing.port());
      assertTrue(flow.error().contains("127.0.0.1:" + closing.port()), flow.error());
    }
  }

  @Test
  void expiredAndSelfSignedUpstreamCertificatesAreExplained() throws Exception {
    try (OriginServer expired = OriginServer.https(pki.issueExpired("127.0.0.1").serverContext());
        OriginServer selfSigned = OriginServer.https(
            TestPki.selfSigned("127.0.0.1").serverContext())) {
      Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert", plainsight.caPem().toString(),
          expired.url("/"));
      Flow expiredFlow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR
          && f.port() == expired.port());
      assertTrue(expiredFlow.error().contains("expired"), expiredFlow.error());

      Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert", plainsight.caPem().toString(),
          selfSigned.url("/"));
      Flow selfSignedFlow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR
          && f.port() == selfSigned.port());
      assertTrue(selfSignedFlow.error().contains("self-signed"), selfSignedFlow.error());
    }
  }
}
