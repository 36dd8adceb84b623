package dev.plainsight.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The participants' page, through the proxy ({@code http://plainsight/}) and from the dashboard
 * ({@code /join}): the proxy to set, the PAC URL, the CA and its fingerprint, every platform's
 * steps including iOS's second step, removal; the demo site's CA only once it is offered.
 */
class JoinPageTest {
  @TempDir static Path dir;
  static RunningPlainsight plainsight;
  static String dashboard;

  @BeforeAll
  static void start() {
    plainsight = RunningPlainsight.start(dir, null, List.of());
    dashboard = "http://127.0.0.1:" + plainsight.app().dashboardPort();
  }

  @AfterAll
  static void stop() {
    plainsight.close();
  }

  @Test
  void bothPagesCarryWhatAParticipantNeeds() throws Exception {
    String viaProxy = Curl.run("-s", "-x", plainsight.proxyUrl(), "http://plainsight/").stdout();
    String direct = Curl.run("-s", "--noproxy", "*", dashboard + "/join").stdout();

    for (String page : List.of(viaProxy, direct)) {
      assertTrue(page.contains("<code id=\"fingerprint\">"
          + plainsight.app().ca().sha256Fingerprint() + "</code>"), page);
      assertTrue(page.contains("<code id=\"proxy-host\">127.0.0.1</code>"), page);
      assertTrue(page.contains("<code id=\"proxy-port\">" + plainsight.proxyPort() + "</code>"));
      assertTrue(page.contains("<code id=\"pac-url\">" + dashboard + "/proxy.pac</code>"), page);
      for (String fact : List.of("href=\"/ca.pem\"", "href=\"/ca.der\"", "Windows", "macOS",
          "Chromium on Linux", "Firefox", "Android", "user CAs", "iPhone and iPad",
          "Certificate Trust Settings", "certutil -d sql:$HOME/.pki/nssdb -N --empty-password",
          "After the workshop: remove it", "href=\"/join.css\"")) {
        assertTrue(page.contains(fact), fact);
      }
      assertFalse(page.contains("<script"), "no script");
      assertFalse(page.contains("{{"), "every placeholder filled");
      assertFalse(page.contains("Demo Web Root CA"), "no demo CA without --demo");
    }
    String style = Curl.run("-s", "-x", plainsight.proxyUrl(), "http://plainsight/join.css").stdout();
    assertTrue(style.contains(".join-page"), style);
  }

  @Test
  void theDemoCaIsOfferedAsTheStandInForAPublicCaOnceTheDemoRuns() throws Exception {
    try (RunningPlainsight own = RunningPlainsight.start(dir.resolve("demo"), null, List.of())) {
      String base = "http://127.0.0.1:" + own.app().dashboardPort();
      assertEquals("404", Curl.run("-s", "-o", "/dev/null", "-w", "%{http_code}", "-x",
          own.proxyUrl(), "http://plainsight/demo-ca.pem").stdout());
      TestPki demo = TestPki.create("Demo Web Root CA");
      own.app().room().offerDemoCa(demo.caCertificate());

      String page = Curl.run("-s", "-x", own.proxyUrl(), "http://plainsight/").stdout();
      assertTrue(page.contains("With the demo site: the Demo Web Root CA"), page);
      assertTrue(page.contains("stands in for a public CA"), page);
      assertTrue(page.contains("shows a certificate warning"), "the one line on why");
      assertTrue(page.contains("Demo Web Root CA:</strong> remove it"), "and its removal");
      String pem = Curl.run("-s", "-x", own.proxyUrl(), "http://plainsight/demo-ca.pem").stdout();
      assertEquals(dev.plainsight.ca.KeyFiles.pem(demo.caCertificate()), pem);
      assertEquals(pem, Curl.run("-s", "--noproxy", "*", base + "/demo-ca.pem").stdout());
      assertTrue(Curl.run("-s", "--noproxy", "*", base + "/join").stdout()
          .contains("<code id=\"demo-fingerprint\">"), "the dashboard's page offers it too");
    }
  }
}
