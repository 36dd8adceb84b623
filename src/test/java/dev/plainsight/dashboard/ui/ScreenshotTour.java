package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tour of the main views of the dashboard on the workshop's traffic. Every run checks that each
 * view renders without a script error or a CSP violation; with {@code -Dscreenshots=true} it also
 * writes docs/screenshots/*.png (see docs/SCREENSHOTS.md):
 *
 * <pre>mvn -B -q test -Dtest='dev.plainsight.dashboard.ui.ScreenshotTour' -Dscreenshots=true</pre>
 */
class ScreenshotTour {
  static final boolean SAVE = Boolean.getBoolean("screenshots");
  static final Path DIR = Path.of(System.getProperty("basedir", "."), "docs", "screenshots");

  static Workshop workshop;
  static Browser browser;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
  }


  /** A view: its file name, the URL hash, what to wait for, and the window height it needs. */
  record View(String file, String hash, String ready, int height, String then) {}

  @Test
  void everyMainViewRendersWithoutAnError() {
    long http = workshop.httpLogin;
    long https = workshop.httpsLogin;
    String flowReady = "document.querySelector('#tab-panel') && !document.querySelector('#tab-panel').textContent.includes('loading')";
    List<View> views = List.of(
        new View("01-flow-list", "#/", "document.querySelector('#flow-row-" + http + "')", 820, null),
        new View("02-request-form-and-headers", "#/flow/" + http + "/request", "document.querySelector('table.form-fields')", 900, null),
        new View("03-response-json", "#/flow/" + workshop.profile + "/response", "document.querySelector('pre.json')", 900, null),
        new View("04-secrets", "#/flow/" + http + "/secrets", "document.querySelector('table.secret-table')", 820, null),
        new View("05-tls-side-by-side", "#/flow/" + https + "/tls", "document.querySelector('.side-by-side')", 1500, null),
        new View("06-timing", "#/flow/" + https + "/timing", "document.querySelector('.waterfall')", 700, null),
        new View("07-lesson-eavesdropper-view", "#/flow/" + https + "/lesson", flowReady + " && document.querySelector('.steps')", 1900,
            "document.querySelector('.toggle-eavesdropper').click()"),
        new View("08-lesson-proxy-view", "#/flow/" + https + "/lesson", flowReady + " && document.querySelector('.steps')", 1900,
            "document.querySelector('.toggle-proxy').click()"),
        new View("09-lesson-plain-http", "#/flow/" + http + "/lesson", flowReady + " && document.querySelector('.steps')", 1500,
            "document.querySelector('.toggle-eavesdropper').click()"),
        new View("10-refused-explained", "#/flow/" + workshop.rejected + "/lesson", "document.querySelector('.refusal')", 1300, null),
        new View("11-compare-http-https", "#/compare/" + http + "/" + https, "document.querySelectorAll('.compare-row').length > 8", 1500, null),
        new View("12-control", "#/control", "document.querySelector('#session-table tbody tr') && document.querySelector('#passthrough-list li')", 800, null));
    List<String> problems = new ArrayList<>();
    for (View view : views) {
      browser.resize(1500, view.height());
      browser.go(workshop.at(view.hash()));
      browser.await(view.ready() + " && document.getElementById('status').textContent === 'live'");
      if (view.then() != null) {
        browser.js(view.then() + ";");
      }
      browser.js("document.activeElement && document.activeElement.blur();");
      save(view.file());
      browser.severeConsoleMessages().forEach(m -> problems.add(view.file() + ": " + m));
    }

    browser.resize(1500, 900);
    browser.open(workshop.at("#/flow/" + https + "/lesson"));
    browser.await("document.querySelector('.steps')");
    browser.find("#large-type").click();
    browser.await("document.body.classList.contains('large')");
    save("13-large-type");
    browser.find("#large-type").click();

    browser.resize(1500, 1500);
    browser.go(workshop.at("#/flow/" + https + "/tls"));
    browser.await("document.querySelector('details.hello-bytes')");
    browser.js("const box = document.querySelector('details.hello-bytes'); box.open = true;");
    browser.await("document.querySelectorAll('.hb-hex .hb-byte').length > 100");
    browser.js("const leaf = [...document.querySelectorAll('.hb-leaf')].find(l => "
        + "l.textContent.toLowerCase().includes('host_name') || l.textContent.includes('server name')) "
        + "|| document.querySelectorAll('.hb-leaf')[8];"
        + "leaf.dispatchEvent(new MouseEvent('mouseenter'));"
        + "document.querySelector('details.hello-bytes').scrollIntoView();");
    browser.await("document.querySelector('.hb-lit')");
    save("15-tls-bytes-view");
    browser.severeConsoleMessages().forEach(m -> problems.add("bytes view: " + m));

    browser.resize(1500, 1500);
    browser.go(workshop.at("#/flow/" + workshop.failed + "/lesson"));
    browser.await("document.querySelector('.steps') && document.getElementById('status').textContent === 'live'");
    browser.js("document.querySelector('.toggle-eavesdropper').click();");
    save("16-lesson-failed-flow");
    browser.severeConsoleMessages().forEach(m -> problems.add("failed lesson: " + m));

    browser.resize(1300, 2000);
    browser.driver().manage().deleteAllCookies();
    browser.open(workshop.base() + "/ca");
    browser.await("document.getElementById('fingerprint')");
    save("14-ca-page");
    browser.severeConsoleMessages().forEach(m -> problems.add("ca page: " + m));
    assertEquals(List.of(), problems);
  }

  private static void save(String name) {
    if (SAVE) {
      browser.screenshot(DIR.resolve(name + ".png"));
    }
  }
}
