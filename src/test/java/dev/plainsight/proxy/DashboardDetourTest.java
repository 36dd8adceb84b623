package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser set up by hand that sends the dashboard's address through the proxy gets a page that
 * says how to reach the dashboard directly (exempt its host, or use the PAC URL), as a 403 with
 * the refusal recorded as an error flow; never the dashboard, never the token it sent. Other refusals of the loop
 * guard stay plain text.
 */
class DashboardDetourTest {
  @TempDir static Path dir;
  static RunningPlainsight plainsight;
  static int dashboard;

  @BeforeAll
  static void start() {
    plainsight = RunningPlainsight.start(dir, null, List.of());
    dashboard = plainsight.app().dashboardPort();
  }

  @AfterAll
  static void stop() {
    plainsight.close();
  }

  @Test
  void theDashboardSentThroughTheProxyGetsAPageOnHowToExemptIt() throws Exception {
    String url = "http://127.0.0.1:" + dashboard + "/?token=" + plainsight.app().token();
    Curl.Result answer = Curl.run("-s", "-i", "-x", plainsight.proxyUrl(), url);

    String response = answer.stdout();
    assertTrue(response.startsWith("HTTP/1.1 403"), response);
    assertTrue(response.toLowerCase().contains("content-type: text/html; charset=utf-8"), response);
    assertTrue(response.contains("Open the dashboard without the proxy"), response);
    assertTrue(response.contains("http://127.0.0.1:" + dashboard + "/proxy.pac"), "the PAC URL");
    assertTrue(response.contains("No proxy for") && response.contains("--proxy-bypass-list=127.0.0.1")
        && response.contains("Bypass proxy settings"), "how to exempt it, per browser");
    assertTrue(response.contains("never reachable through the proxy"), "the refusal's reason");
    assertFalse(response.contains(plainsight.app().token()), "the token is never echoed");
    assertFalse(response.contains("flows-viewport"), "not the dashboard's page");
    Flow flow = plainsight.awaitFlow(f -> f.url() != null
        && f.url().startsWith("http://127.0.0.1:" + dashboard + "/"));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertTrue(flow.error().contains("is Plainsight itself"), flow.error());
  }

  @Test
  void theProxyItselfThroughTheProxyIsStillAPlainRefusal() throws Exception {
    Curl.Result answer = Curl.run("-s", "-i", "-x", plainsight.proxyUrl(),
        "http://127.0.0.1:" + plainsight.proxyPort() + "/");

    assertTrue(answer.stdout().startsWith("HTTP/1.1 403"), answer.stdout());
    assertTrue(answer.stdout().toLowerCase().contains("content-type: text/plain"), answer.stdout());
    assertFalse(answer.stdout().contains("Open the dashboard"), answer.stdout());
  }
}
