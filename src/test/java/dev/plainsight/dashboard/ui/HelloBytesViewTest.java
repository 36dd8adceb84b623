package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The Bytes view of the TLS tab: the captured ClientHello as hex, a field lit up and explained
 * when pointed at, and the client's JA3/JA4 with what they mean.
 */
class HelloBytesViewTest {
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
  void pointingAtTheServerNameLightsItsBytesAndExplainsIt() {
    openBytes("ClientHello from the client", "01");
    assertEquals("16", browser.jsText("document.querySelector('#tab-panel .hb-byte').textContent"),
        "a handshake record");
    WebElement sni = null;
    for (WebElement leaf : browser.findAll("#tab-panel .hb-leaf")) {
      if (leaf.getAttribute("textContent").startsWith("server name ")) {
        sni = leaf;
      }
    }
    assertTrue(sni != null, "the field list names the server name: " + browser.jsText(
        "Array.from(document.querySelectorAll('#tab-panel .hb-leaf')).map((l) => l.textContent)"
        + ".join('|')"));
    browser.js("arguments[0].scrollIntoView({block: 'center'})", sni);
    new Actions(browser.driver()).moveToElement(sni).perform();
    browser.await("document.querySelectorAll('#tab-panel .hb-lit').length === 9");
    String explained = browser.jsText("document.querySelector('#tab-panel .hb-explain').textContent");
    assertTrue(explained.contains("server name: localhost (9 bytes at offset"), explained);
    assertTrue(explained.contains("SNI"), explained);
    String lit = browser.jsText("Array.from(document.querySelectorAll('#tab-panel .hb-lit'))"
        + ".map((s) => s.textContent).join('')");
    assertEquals("6c6f63616c686f7374", lit, "the bytes of \"localhost\"");

    String fingerprints = browser.find("#tab-panel .fingerprints").getText();
    assertTrue(fingerprints.matches("(?s).*JA4 \\(FoxIO\\)\\s+t13d\\d{4}.*"), fingerprints);
    assertTrue(fingerprints.contains("before a single byte of content"), fingerprints);
  }

  /** Opens the Bytes view of the tunnelled flow on one hello, whose handshake type is {@code type}. */
  private void openBytes(String choice, String type) {
    browser.go(workshop.at("#/flow/" + workshop.tunnel + "/tls"));
    browser.await("document.querySelector('#tab-panel details.hello-bytes')");
    browser.js("document.querySelector('#tab-panel details.hello-bytes').open = true");
    browser.await("document.querySelectorAll('#tab-panel .hb-byte').length > 100");
    browser.clickText("#tab-panel .hb-choice", choice);
    browser.await("document.querySelectorAll('#tab-panel .hb-byte')[5].textContent === '" + type
        + "'");
  }

  @Test
  void theServerHelloCanBeChosen() {
    openBytes("ClientHello from the client", "01");
    openBytes("ServerHello from the server", "02");
    assertTrue(browser.find("#tab-panel .hb-tree").getText().contains("cipher suite"));
  }
}
