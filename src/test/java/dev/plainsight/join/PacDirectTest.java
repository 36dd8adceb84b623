package dev.plainsight.join;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.testing.Chromium;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PAC file's rule, run in a real JavaScript engine (headless Chromium's, through DevTools;
 * Java 17 has none): the dashboard's own host and port go {@code DIRECT}, everything else through
 * the proxy, whatever the URL's scheme, user info, query or letter case.
 */
class PacDirectTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Chromium.Browser browser;
  static Chromium.Page page;

  @BeforeAll
  static void start() throws Exception {
    browser = Chromium.launch();
    page = browser.open("about:blank");
  }

  @AfterAll
  static void stop() {
    browser.close();
  }

  @Test
  void theDashboardGoesDirectAndEverythingElseThroughTheProxy() throws Exception {
    String pac = ProxyAutoConfig.script("192.168.1.20", 8080,
        List.of("192.168.1.20:8081", "127.0.0.1:8081", "localhost:8081", "[::1]:8081"));
    String proxy = "PROXY 192.168.1.20:8080; DIRECT";

    assertEquals("DIRECT", run(pac, "http://192.168.1.20:8081/", "192.168.1.20"));
    assertEquals("DIRECT", run(pac, "http://192.168.1.20:8081/?token=abc#/control", "192.168.1.20"));
    assertEquals("DIRECT", run(pac, "http://192.168.1.20:8081?x=1", "192.168.1.20"));
    assertEquals("DIRECT", run(pac, "ws://192.168.1.20:8081/api/updates", "192.168.1.20"));
    assertEquals("DIRECT", run(pac, "http://user:pw@192.168.1.20:8081/", "192.168.1.20"));
    assertEquals("DIRECT", run(pac, "http://LocalHost:8081/join", "localhost"));
    assertEquals("DIRECT", run(pac, "http://[::1]:8081/", "::1"));
    assertEquals(proxy, run(pac, "http://192.168.1.20:8080/", "192.168.1.20"));
    assertEquals(proxy, run(pac, "http://192.168.1.20:18081/", "192.168.1.20"));
    assertEquals(proxy, run(pac, "http://192.168.1.20/", "192.168.1.20"));
    assertEquals(proxy, run(pac, "http://demo.plainsight.test:8180/login", "demo.plainsight.test"));
    assertEquals("DIRECT", run(pac, "https://192.168.1.20:8081/", "192.168.1.20"),
        "any scheme (Chromium hands wss:// as https://host:port/)");
    assertEquals(proxy, run(pac, "http://x.test/?http://192.168.1.20:8081/", "x.test"));
    assertEquals(proxy, run(pac, "http://192.168.1.20:8081.evil.test/", "192.168.1.20:8081.evil.test"));
  }

  @Test
  void aDashboardOnPort80GoesDirectWithOrWithoutThePort() throws Exception {
    String pac = ProxyAutoConfig.script("10.0.0.5", 3128, List.of("10.0.0.5:80"));

    assertEquals("DIRECT", run(pac, "http://10.0.0.5/", "10.0.0.5"));
    assertEquals("DIRECT", run(pac, "http://10.0.0.5:80/join", "10.0.0.5"));
    assertEquals("PROXY 10.0.0.5:3128; DIRECT", run(pac, "http://10.0.0.5:8080/", "10.0.0.5"));
  }

  @Test
  void thePacARunningDashboardServesSendsItselfDirect() throws Exception {
    try (RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      String dashboard = "http://127.0.0.1:" + plainsight.app().dashboardPort();
      String pac = Curl.run("-s", "--noproxy", "*", dashboard + "/proxy.pac").stdout();
      String viaMagicHost = Curl.run("-s", "-x", plainsight.proxyUrl(),
          "http://plainsight/proxy.pac").stdout();

      for (String script : List.of(pac, viaMagicHost)) {
        assertEquals("DIRECT", run(script, dashboard + "/?token=t", "127.0.0.1"));
        assertEquals("DIRECT", run(script, "http://localhost:" + plainsight.app().dashboardPort()
            + "/", "localhost"));
        assertEquals("PROXY 127.0.0.1:" + plainsight.proxyPort() + "; DIRECT",
            run(script, "http://demo.plainsight.test:8180/", "demo.plainsight.test"));
      }
    }
  }

  private static String run(String pac, String url, String host) throws Exception {
    return page.evaluate("(() => {" + pac + "\nreturn FindProxyForURL("
        + JSON.writeValueAsString(url) + ", " + JSON.writeValueAsString(host) + "); })()").asText();
  }
}
