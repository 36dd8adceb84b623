package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow list in headless Chromium hides browsers' background traffic by default, says how
 * much it hides ("3 background flows hidden · show"), counts a live one as it arrives, "show"
 * reveals them, and a row's menu excludes its host.
 */
class BackgroundFlowsUiTest {
  static Browser browser;

  @BeforeAll
  static void start() {
    browser = Browser.shared();
  }

  @Test
  void theListHidesBackgroundFlowsShowsTheirCountAndShowRevealsThem(@TempDir Path dir) {
    RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of());
    try {
      FlowStore store = plainsight.app().store();
      long site = store.add(flow("shop.example", "/basket")).id();
      long update = store.add(flow("update.googleapis.com", "/service/update2/json")).id();
      store.add(flow("safebrowsing.googleapis.com", "/v4/threatListUpdates:fetch"));
      store.add(flow("firefox.settings.services.mozilla.com", "/v1/buckets/monitor"));
      long google = store.add(flow("www.google.com", "/search?q=plainsight")).id();

      browser.open(plainsight.app().dashboardUrl());
      browser.await("document.getElementById('status').textContent === 'live'"
          + " && document.getElementById('flow-count').textContent === '2 flows'");
      assertEquals("3 background flows hidden", browser.jsText(
          "document.getElementById('background-count').textContent"));
      browser.await("document.querySelector('#flow-row-" + site + "')"
          + " && document.querySelector('#flow-row-" + google + "')"
          + " && !document.querySelector('#flow-row-" + update + "')");

      long live = store.add(flow("connectivitycheck.gstatic.com", "/generate_204")).id();
      browser.await("document.getElementById('background-count').textContent"
          + " === '4 background flows hidden'");
      long liveSite = store.add(flow("shop.example", "/checkout")).id();
      browser.await("document.querySelector('#flow-row-" + liveSite + "')"
          + " && document.getElementById('flow-count').textContent === '3 flows'"
          + " && !document.querySelector('#flow-row-" + live + "')");

      browser.find("#background-toggle").click();
      browser.await("document.getElementById('flow-count').textContent === '7 flows'"
          + " && document.querySelector('#flow-row-" + update + "')"
          + ".classList.contains('background')");
      browser.find("#background-toggle").click();
      browser.await("document.getElementById('flow-count').textContent === '3 flows'");

      browser.find("#flow-row-" + site + " .row-menu-button").click();
      browser.clickText(".row-menu button", "Exclude host shop.example");
      browser.await("document.getElementById('flow-count').textContent === '1 flow'"
          + " && document.getElementById('filter-host').value === '!shop.example'");
      assertEquals(List.of(), browser.severeConsoleMessages());
    } finally {
      browser.open("about:blank"); // before the close: the page's feed would retry it
      browser.severeConsoleMessages();
      plainsight.close();
    }
  }

  private static dev.plainsight.flow.Flow flow(String host, String path) {
    return new FlowBuilder().kind(FlowKind.HTTPS_DECRYPTED).startedAt(Instant.now())
        .client("127.0.0.1:50000").method("GET").url("https://" + host + path).host(host)
        .port(443).status(200).responseBytes(100).durationMs(12).build();
  }
}
