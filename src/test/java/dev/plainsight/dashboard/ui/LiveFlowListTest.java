package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.testing.RunningPlainsight;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/** The flow list: live, newest first, filtered, and virtualised. */
class LiveFlowListTest {
  static Workshop workshop;
  static Browser browser;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
  }


  /** The path shown in the row at display position {@code index} (0 is the top). */
  private static String pathAt(int index) {
    return browser.jsText("document.querySelector('.flow-row[aria-rowindex=\"" + (index + 2) + "\"] .c-path').textContent");
  }

  @Test
  void flowsAppearLiveNewestFirstWhileAClientSendsTraffic() throws Exception {
    browser.open(workshop.dashboardUrl());
    browser.await("document.getElementById('status').textContent === 'live'");
    HttpClient client = workshop.plainsight.clientTrustingPlainsight();
    for (int i = 1; i <= 4; i++) {
      String path = "/hello?live=" + i + "&at=" + System.nanoTime();
      workshop.send(client, Workshop.get((i % 2 == 0 ? workshop.https : workshop.http).url(path)));
      browser.await("document.querySelector('.flow-row[aria-rowindex=\"2\"] .c-path').textContent === '" + path + "'");
    }
    assertTrue(pathAt(1).startsWith("/hello?live=3"), "the one before is right below: " + pathAt(1));
    assertEquals("decrypted", browser.jsText("document.querySelector('.flow-row[aria-rowindex=\"2\"] .kind-label').textContent"));
    assertEquals(List.of(), browser.severeConsoleMessages());
  }

  @Test
  void theFiltersNarrowTheListByKindHostStatusClientAndSearch() {
    browser.open(workshop.dashboardUrl());
    browser.await("document.querySelector('#flow-row-" + workshop.httpLogin + "')");

    for (String other : List.of("http", "https-decrypted", "https-tunnel", "error")) {
      browser.find("#kind-" + other).click();
    }
    browser.await("document.querySelectorAll('.vlist-canvas .flow-row[data-id]:not([hidden])').length >= 1"
        + " && [...document.querySelectorAll('.vlist-canvas .flow-row[data-id]:not([hidden])')]"
        + ".every(r => r.classList.contains('kind-https-rejected'))");
    browser.find("#kind-https-rejected").click();
    browser.find("#kind-https-decrypted").click();
    browser.await("document.querySelectorAll('.vlist-canvas .flow-row[data-id]:not([hidden])').length >= 1"
        + " && [...document.querySelectorAll('.vlist-canvas .flow-row[data-id]:not([hidden])')]"
        + ".every(r => r.classList.contains('kind-https-decrypted'))");
    browser.find("#kind-https-decrypted").click();
    for (String kind : List.of("http", "https-decrypted", "https-tunnel", "https-rejected")) {
      browser.find("#kind-" + kind).click();
    }
    browser.await("document.querySelector('#flow-row-" + workshop.httpLogin + "')"
        + " && !document.querySelector('#flow-row-" + workshop.failed + "')");
    browser.find("#kind-error").click();

    browser.find("#search").sendKeys("api_key=k-42", Keys.ENTER);
    browser.await("document.getElementById('flow-count').textContent === '1 flow'"
        + " && document.querySelector('#flow-row-" + workshop.httpLogin + "')");
    browser.find("#search").clear();
    browser.find("#search").sendKeys(Keys.ENTER);

    browser.find("#filter-host").sendKeys("localhost");
    browser.await("document.querySelector('#flow-row-" + workshop.tunnel + "')"
        + " && !document.querySelector('#flow-row-" + workshop.httpLogin + "')");
    browser.find("#filter-host").clear();

    browser.find("#filter-status").sendKeys("none");
    browser.await("document.querySelector('#flow-row-" + workshop.rejected + "')"
        + " && document.querySelector('#flow-row-" + workshop.failed + "')"
        + " && !document.querySelector('#flow-row-" + workshop.httpLogin + "')");
    browser.find("#filter-status").clear();

    browser.find("#filter-client").sendKeys("10.99.99.99");
    browser.await("!document.getElementById('flows-empty').hidden");
    browser.clickText("#filters button", "Clear filters");
    browser.await("document.querySelector('#flow-row-" + workshop.httpLogin + "')");
    assertEquals(List.of(), browser.severeConsoleMessages());
  }

  @Test
  void theVirtualisedListKeepsTheDomSmallWithManyFlowsAndKeepsTheReadersPlace(@TempDir Path dir) {
    int count = 4000;
    try (RunningPlainsight many = RunningPlainsight.start(dir, null, List.of())) {
      FlowStore store = many.app().store();
      for (int i = 1; i <= count; i++) {
        store.add(synthetic(i));
      }
      browser.open(many.app().dashboardUrl());
      browser.await("document.getElementById('flow-count').textContent === '4,000 flows'"
          + " && document.getElementById('status').textContent === 'live'");
      assertEquals("/synthetic/4000", pathAt(0));
      assertTrue(rowsInDom() < 80, "only the rows in view are in the DOM: " + rowsInDom());

      browser.js("const v = document.getElementById('flows-viewport'); v.scrollTop = v.scrollHeight;");
      browser.await("document.querySelector('.flow-row[aria-rowindex=\"4001\"] .c-path')"
          + ".textContent === '/synthetic/1'");
      assertTrue(rowsInDom() < 80, "still small at the end: " + rowsInDom());

      browser.js("document.getElementById('flows-viewport').scrollTop = 100 * document.querySelector('.vlist-canvas .flow-row:not([hidden])').offsetHeight;");
      browser.await("document.querySelector('.flow-row[aria-rowindex=\"102\"][data-id]')");
      String before = browser.jsText("document.elementFromPoint(300, document.getElementById('flows-viewport').getBoundingClientRect().top + 120).closest('.flow-row').dataset.id");
      store.add(synthetic(count + 1));
      browser.await("document.getElementById('flow-count').textContent === '4,001 flows'");
      browser.await("document.querySelector('.flow-row[aria-rowindex=\"2\"]') === null"
          + " || document.querySelector('.flow-row[aria-rowindex=\"2\"] .c-path').textContent === '/synthetic/4001'");
      String after = browser.jsText("document.elementFromPoint(300, document.getElementById('flows-viewport').getBoundingClientRect().top + 120).closest('.flow-row').dataset.id");
      assertEquals(before, after, "a new flow on top does not move what the reader is looking at");
      assertEquals(List.of(), browser.severeConsoleMessages());
    }
  }

  private static long rowsInDom() {
    return browser.jsNumber("document.querySelectorAll('.vlist-canvas .flow-row').length");
  }

  private static dev.plainsight.flow.Flow synthetic(int i) {
    return new FlowBuilder().kind(FlowKind.HTTP).session("many")
        .startedAt(Instant.now()).client("127.0.0.1").method("GET")
        .url("http://example.test/synthetic/" + i).host("example.test").port(80).status(200)
        .responseBytes(i).durationMs(i % 97).build();
  }
}
