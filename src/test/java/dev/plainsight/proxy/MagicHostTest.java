package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http://plainsight/ is answered by the proxy itself, as mitm.it is by mitmproxy. */
class MagicHostTest {
  @TempDir static Path dir;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    plainsight = RunningPlainsight.start(dir, null, List.of());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
  }

  @Test
  void theInstallPageShowsTheFingerprintAndIsRecorded() throws Exception {
    Curl.Result page = Curl.run("-s", "-x", plainsight.proxyUrl(), "http://plainsight/");
    assertEquals(0, page.exitCode());
    assertTrue(page.stdout().contains(plainsight.app().ca().sha256Fingerprint()), page.stdout());
    Flow flow = plainsight.awaitFlow(f -> "http://plainsight/".equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals(200, flow.status());
  }

  @Test
  void aMalformedUrlOnTheMagicHostIsA404NotADroppedConnection() throws Exception {
    // on main the URL's parse threw inside the filter: the connection dropped, an error flow
    // blamed the client
    Curl.Result answer = Curl.run("-s", "-w", "\n%{http_code}", "-x", plainsight.proxyUrl(),
        "http://plainsight/%zz?x=%");

    assertTrue(answer.stdout().endsWith("\n404"), answer.stdout() + answer.stderr());
    Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().contains("/%zz"));
    assertEquals(FlowKind.HTTP, flow.kind());
  }

  @Test
  void theCaCertificateIsServedAsPem() throws Exception {
    Curl.Result pem = Curl.run("-s", "-x", plainsight.proxyUrl(), "http://plainsight/ca.pem");
    assertEquals(Files.readString(plainsight.caPem()), pem.stdout());
  }

  @Test
  void thePacFileSendsEverythingThroughThisProxy() throws Exception {
    Curl.Result viaProxy = Curl.run("-s", "-x", plainsight.proxyUrl(), "http://plainsight/proxy.pac");
    assertTrue(viaProxy.stdout().contains("PROXY 127.0.0.1:" + plainsight.proxyPort()),
        viaProxy.stdout());
    Curl.Result fromDashboard = Curl.run("-s",
        "http://127.0.0.1:" + plainsight.app().dashboardPort() + "/proxy.pac");
    assertTrue(fromDashboard.stdout().contains("PROXY 127.0.0.1:" + plainsight.proxyPort()),
        "the dashboard serves it without a token: " + fromDashboard.stdout());
  }

  @Test
  void unknownPathsOnTheMagicHostAreNotForwarded() throws Exception {
    Curl.Result missing = Curl.run("-s", "-o", "/dev/null", "-w", "%{http_code}", "-x",
        plainsight.proxyUrl(), "http://plainsight/api/flows");
    assertEquals("404", missing.stdout());
  }
}
