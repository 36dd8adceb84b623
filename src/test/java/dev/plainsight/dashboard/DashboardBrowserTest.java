package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.testing.Chromium;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard page in a real headless Chromium, showing a flow whose URL, headers and body are
 * attacks on it: captured content must appear only as text, never as markup or script.
 */
class DashboardBrowserTest {
  /** Each payload would set {@code window.pwned} (and add an element) if it ever became markup. */
  static final String HOSTILE_PATH = "/p/<img/src/onerror=window.pwned=1>"
      + "?q=<script>window.pwned=2</script>&x=\"><svg/onload=window.pwned=3>";
  static final String HOSTILE_HEADER = "<img src=x onerror=\"window.pwned=4\">";
  static final String HOSTILE_BODY = "<h1 id=injected>hi</h1><script>window.pwned=5</script>"
      + "<img src=x onerror=\"window.pwned=6\"><iframe src=\"javascript:parent.pwned=7\"></iframe>";

  @TempDir static Path dir;
  static HostileOrigin origin;
  static RunningPlainsight plainsight;
  static String hostileUrl;

  @BeforeAll
  static void captureAHostileFlow() throws Exception {
    origin = HostileOrigin.start();
    plainsight = RunningPlainsight.start(dir, null, List.of());
    hostileUrl = "http://127.0.0.1:" + origin.port() + HOSTILE_PATH;
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "-H", "X-Note: " + HOSTILE_HEADER,
        hostileUrl);
    assertEquals(HOSTILE_BODY, result.stdout(), result.stderr());
    plainsight.awaitFlow(f -> hostileUrl.equals(f.url()) && f.status() != null);
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  @Test
  void theFlowListShowsAHostileUrlAsTextAndInjectsNothing() throws Exception {
    String dom = dumpDomShowing(hostileUrl);

    assertTrue(dom.contains("<td class=\"url\">" + escaped(hostileUrl) + "</td>"), dom);
    assertFalse(dom.contains("<img"), "no <img> made from captured data: " + dom);
    assertFalse(dom.contains("<svg"), "no <svg> made from captured data: " + dom);
    assertEquals(1, count(dom, "<script"), "only the dashboard's own script: " + dom);
    assertFalse(dom.contains("pwned\">"), dom);
  }

  @Test
  void theDetailViewShowsHostileHeadersAndBodyAsText() throws Exception {
    try (Chromium.Browser browser = Chromium.launch()) {
      Chromium.Page page = browser.open(plainsight.app().dashboardUrl());
      String url = new ObjectMapper().writeValueAsString(hostileUrl);
      String row = "[...document.querySelectorAll('#flows td.url')].find(td => td.textContent === "
          + url + ")";
      page.await(row, Duration.ofSeconds(20));
      page.evaluate(row + ".closest('tr').click()");
      page.await("document.querySelector('#detail pre')"
          + " && document.querySelector('#detail').textContent.includes('</iframe>')",
          Duration.ofSeconds(20));

      String detail = page.evaluate("document.querySelector('#detail').textContent").asText();
      assertTrue(detail.contains(HOSTILE_HEADER), "the header is shown as text: " + detail);
      assertTrue(detail.contains(HOSTILE_BODY), "the body is shown as text: " + detail);
      assertEquals(0, page.evaluate(
          "document.querySelectorAll('img, svg, iframe, object, embed, #injected').length").asInt(),
          page.evaluate("document.body.innerHTML").asText());
      assertEquals(1, page.evaluate("document.scripts.length").asInt(),
          "only the dashboard's own script");
      assertEquals("undefined", page.evaluate("typeof window.pwned").asText(),
          "no captured script ran");
      assertEquals("Plainsight", page.evaluate("document.title").asText());
    }
  }

  @Test
  void aFlowCapturedWhileThePageIsOpenAppearsWithoutReloading() throws Exception {
    try (Chromium.Browser browser = Chromium.launch()) {
      Chromium.Page page = browser.open(plainsight.app().dashboardUrl());
      page.await("document.getElementById('status').textContent === 'live'", Duration.ofSeconds(20));
      assertEquals("/", page.evaluate("location.pathname + location.search").asText(),
          "the token is taken out of the address bar");

      String url = "http://127.0.0.1:" + origin.port() + "/live/<b>new</b>";
      Curl.Result result = Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(), url);
      assertEquals(0, result.exitCode(), result.stderr());
      page.await("document.querySelector('#flows tbody tr td.url').textContent === "
          + new ObjectMapper().writeValueAsString(url), Duration.ofSeconds(20));
      assertEquals(0, page.evaluate("document.querySelectorAll('#flows b').length").asInt());
    }
  }

  // ---- helpers

  /**
   * The page as Chromium renders it after its scripts ran; loaded again with a longer budget if
   * the flow list had not filled yet.
   */
  private static String dumpDomShowing(String url) throws Exception {
    String dom = "";
    for (int budget : new int[] {5_000, 10_000, 20_000}) {
      dom = Chromium.dumpDom(plainsight.app().dashboardUrl(), Duration.ofMillis(budget));
      if (dom.contains(escaped(url))) {
        return dom;
      }
    }
    throw new AssertionError("the flow list never showed " + url + ":\n" + dom);
  }

  /** The text as the DOM serializer writes a text node. */
  private static String escaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\u00a0", "&nbsp;");
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }

  /**
   * An origin server that answers every request with {@link #HOSTILE_BODY} as HTML and {@link
   * #HOSTILE_HEADER} in a header. Raw sockets, because the JDK's server refuses the request line
   * of {@link #HOSTILE_PATH} that curl sends as is.
   */
  static final class HostileOrigin implements AutoCloseable {
    private final ServerSocket server;

    private HostileOrigin(ServerSocket server) {
      this.server = server;
    }

    static HostileOrigin start() throws IOException {
      HostileOrigin origin = new HostileOrigin(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread acceptor = new Thread(origin::serve, "hostile-origin");
      acceptor.setDaemon(true);
      acceptor.start();
      return origin;
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          readHead(socket.getInputStream());
          byte[] body = HOSTILE_BODY.getBytes(StandardCharsets.UTF_8);
          OutputStream out = socket.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
              + "X-Hostile: " + HOSTILE_HEADER + "\r\nContent-Length: " + body.length
              + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
          out.write(body);
          out.flush();
        } catch (IOException closedOrReset) {
          // next connection, or the server was closed
        }
      }
    }

    private static void readHead(InputStream in) throws IOException {
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      for (int b; matched < 4 && (b = in.read()) >= 0; ) {
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
