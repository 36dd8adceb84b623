package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captured content is written by whoever is on the other end: a URL, headers, cookies and a body
 * full of markup and script must show up in every view as text, and never run.
 */
class HostileContentTest {
  static final String NOTE = "<img src=x onerror=\"window.pwned=10\" id=injected10>";
  static final String CREDENTIALS = "<script>window.pwned=11</script>:<img src=x onerror=window.pwned=12>";

  @TempDir static Path dir;
  static HostileOrigin origin;
  static RunningPlainsight plainsight;
  static Browser browser;
  static long flow;

  @BeforeAll
  static void captureAnAttack() throws Exception {
    origin = HostileOrigin.start();
    plainsight = RunningPlainsight.start(dir, null, List.of());
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "-H", "X-Note: " + NOTE,
        "-H", "Cookie: <b id=injected11>c</b>=<script>window.pwned=13</script>",
        "-H", "Authorization: Basic " + Base64.getEncoder().encodeToString(
            CREDENTIALS.getBytes(StandardCharsets.UTF_8)),
        "--data-urlencode", "password=<svg onload=window.pwned=14>",
        "-H", "Content-Type: application/x-www-form-urlencoded",
        origin.url());
    assertEquals(HostileOrigin.BODY, result.stdout(), result.stderr());
    flow = plainsight.awaitFlow(f -> origin.url().equals(f.url()) && f.status() != null).id();
    browser = Browser.shared();
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  @Test
  void capturedMarkupIsShownAsTextInEveryViewAndNeverRuns() {
    browser.open(plainsight.app().dashboardUrl());
    browser.await("document.querySelector('#flow-row-" + flow + "')");
    assertEquals(HostileOrigin.PATH, browser.find("#flow-row-" + flow + " .c-path").getText());
    assertNothingRan("the flow list");

    String expected = null;
    for (String tab : List.of("request", "response", "secrets", "tls", "timing", "lesson")) {
      browser.js("location.hash = '#/flow/" + flow + "/" + tab + "';");
      browser.await("document.querySelector('#tab-" + tab + "[aria-selected=true]')"
          + " && !document.querySelector('#tab-panel').textContent.includes('loading')"
          + " && !document.querySelector('#tab-panel').textContent.includes('looking for secrets')");
      String text = browser.find("#tab-panel").getText();
      switch (tab) {
        case "request" -> assertTrue(text.contains(NOTE) && text.contains("<svg onload=window.pwned=14>"), text);
        case "response" -> assertTrue(text.contains(HostileOrigin.HEADER) && text.contains(HostileOrigin.BODY), text);
        case "secrets" -> assertTrue(text.contains("password \"<img src=x onerror=window.pwned=12>\""), text);
        default -> expected = text;
      }
      assertNothingRan("the " + tab + " tab");
    }
    assertTrue(expected != null);

    browser.js("location.hash = '#/compare/" + flow + "/" + flow + "';");
    browser.await("document.querySelectorAll('.compare-row').length > 8");
    assertNothingRan("compare");
  }

  private void assertNothingRan(String where) {
    assertFalse(browser.dialogOpen(), "no dialog opened in " + where);
    assertEquals("undefined", browser.jsText("typeof window.pwned"), "no captured script ran in " + where);
    assertEquals(0L, browser.jsNumber("document.querySelectorAll('#injected, #injected4, #injected5, "
        + "#injected10, #injected11, #injected-link, iframe, object, embed, [onerror], [onload]').length"),
        "no element was made from captured markup in " + where);
    assertEquals(0L, browser.jsNumber("document.querySelectorAll('img:not([src^=\"blob:\"])').length"),
        "images come only from blob: URLs of captured bytes, in " + where);
    assertEquals(0L, browser.jsNumber("[...document.querySelectorAll('a[href]')].filter(a => "
        + "!a.getAttribute('href').startsWith('#') && !a.getAttribute('href').startsWith('/')).length"),
        "no link in captured content became clickable, in " + where);
    assertEquals(1L, browser.jsNumber("document.scripts.length"), "only the dashboard's own script");
    assertEquals(List.of(), browser.severeConsoleMessages(), where);
  }
}
