package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packet-capture downloads in Chromium: the flow view and Control → Sessions offer "Open in
 * Wireshark" (with the TLS secrets) and "Eavesdropper's capture" (sealed), each saying the TCP
 * framing is synthetic, and what each link fetches with the dashboard's own session is a pcapng
 * file (its Section Header Block first).
 */
class CaptureLinksUiTest {
  static Workshop workshop;
  static Browser browser;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
  }

  @AfterEach
  void noScriptErrorsNorCspViolations() {
    assertEquals(List.of(), browser.severeConsoleMessages());
  }

  @Test
  void aFlowOffersItsCaptureOpenAndSealed() {
    browser.go(workshop.at("#/flow/" + workshop.httpLogin));
    browser.await("document.querySelector('.detail-tools .capture-open')");
    String open = browser.jsText("document.querySelector('.detail-tools .capture-open').href");
    String sealed = browser.jsText("document.querySelector('.detail-tools .capture-sealed').href");
    assertTrue(open.endsWith("/api/flows/" + workshop.httpLogin + "/pcap"), open);
    assertTrue(sealed.endsWith("/api/flows/" + workshop.httpLogin + "/pcap?secrets=false"), sealed);
    assertEquals("Open in Wireshark", browser.find(".detail-tools .capture-open").getText());
    assertEquals("Eavesdropper's capture", browser.find(".detail-tools .capture-sealed").getText());
    assertTrue(browser.find(".detail-tools .capture-note").getAttribute("textContent")
        .contains("synthetic"), "the framing is said to be reconstructed");
    assertEquals("200 0a0d0d0a", fetched(".detail-tools .capture-open"));
    assertEquals("200 0a0d0d0a", fetched(".detail-tools .capture-sealed"));
  }

  @Test
  void eachSessionOffersItsCapture() {
    browser.go(workshop.at("#/control"));
    browser.await("document.querySelector('.actions .capture-open')");
    String open = browser.jsText("document.querySelector('.actions .capture-open').href");
    assertTrue(open.matches(".*/api/sessions/[^/]+/pcap"), open);
    assertEquals("200 0a0d0d0a", fetched(".actions .capture-open"));
  }

  /** The status and first four bytes of what the link at {@code css} downloads, fetched in page. */
  private static String fetched(String css) {
    browser.js("window.__capture = null; fetch(document.querySelector(arguments[0]).href)"
        + ".then((r) => r.arrayBuffer().then((b) => { window.__capture = r.status + ' '"
        + " + Array.from(new Uint8Array(b.slice(0, 4)))"
        + ".map((x) => x.toString(16).padStart(2, '0')).join(''); }))", css);
    browser.await("window.__capture");
    return browser.jsText("window.__capture");
  }
}
