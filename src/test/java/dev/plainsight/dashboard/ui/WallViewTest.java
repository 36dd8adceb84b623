package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wall in Chromium: a password posted over plain HTTP shows, masked, within 2 s. */
class WallViewTest {
  @Test
  void theWallShowsAPasswordPostedOverPlainHttpWithinTwoSecondsMasked(@TempDir Path dir)
      throws Exception {
    Browser browser = Browser.shared();
    try (OriginServer origin = OriginServer.http();
        RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      String base = "http://127.0.0.1:" + plainsight.app().dashboardPort();
      browser.open(base + "/wall?token=" + plainsight.app().token());
      browser.await("document.getElementById('wall-status').textContent === 'live'");
      assertEquals(0, browser.jsNumber("document.querySelectorAll('#wall-rows tr').length"));

      String password = "tr0ub4dor-and-3";
      HttpRequest login = HttpRequest.newBuilder(URI.create(origin.url("/echo?wall")))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("user=bob&password=" + password)).build();
      HttpResponse<String> sent = plainsight.client(null).send(login,
          HttpResponse.BodyHandlers.ofString());
      long answered = System.nanoTime();
      assertEquals(200, sent.statusCode());
      browser.await("document.querySelector('#wall-rows tr .value')", Duration.ofSeconds(2));
      long shownMs = (System.nanoTime() - answered) / 1_000_000;
      assertTrue(shownMs < 2000, "shown after " + shownMs + " ms");

      assertEquals("tr" + "\u2022".repeat(13), browser.jsText(
          "document.querySelector('#wall-rows tr .value').textContent"));
      String page = browser.jsText("document.documentElement.outerHTML");
      assertFalse(page.contains(password) || page.contains("ub4dor"), page);
      assertTrue(browser.jsText("document.querySelector('#wall-rows tr').textContent")
          .contains("plain HTTP"));
      assertEquals("1", browser.jsText("document.getElementById('count-clear').textContent"));
      assertEquals(List.of(), browser.severeConsoleMessages());
      System.out.println("wall: shown " + shownMs + " ms after the response");
      // leave the wall before its server stops: the shared browser's next test counts console
      // errors, and a wall whose server is gone keeps trying to reconnect
      browser.open("about:blank");
    }
  }
}
