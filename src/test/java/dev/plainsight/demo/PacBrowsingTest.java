package dev.plainsight.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Chromium;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant's browser set up with nothing but the "automatic proxy configuration" URL from
 * the dashboard reaches the demo site by its workshop name, through the proxy, and is captured.
 */
class PacBrowsingTest {
  @TempDir static Path dir;
  static DemoSite site;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() throws Exception {
    site = DemoSite.start(dir.resolve("demo-ca"));
    plainsight = RunningPlainsight.start(dir, Options.builder(0, 0,
            dir.resolve("ca"), dir.resolve("data"))
        .upstreamCaFiles(List.of(site.demoCaPem()))
        .staticHosts(Map.of(DemoSite.PUBLIC_NAME, "127.0.0.1")).build());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    site.close();
  }

  @Test
  void chromiumWithOnlyThePacUrlReachesTheDemoSiteThroughTheProxy() throws Exception {
    String pac = "http://127.0.0.1:" + plainsight.app().dashboardPort() + "/proxy.pac";
    String page = site.httpUrl(DemoSite.PUBLIC_NAME, "/login");

    String dom = Chromium.dumpDomWithProxyPac(pac, page, Duration.ofSeconds(5));

    assertTrue(dom.contains("Log in"), dom);
    Flow flow = plainsight.awaitFlow(f -> page.equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals(DemoSite.PUBLIC_NAME, flow.host());
    assertEquals(200, flow.status());
  }
}
