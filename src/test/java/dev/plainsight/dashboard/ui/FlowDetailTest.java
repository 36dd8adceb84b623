package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The detail tabs of captured flows: bodies of each kind, secrets, TLS and timing. */
class FlowDetailTest {
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

  private String panel(long flow, String tab, String ready) {
    browser.go(workshop.at("#/flow/" + flow + "/" + tab));
    browser.await("document.querySelector('#tab-panel " + ready + "')");
    return browser.find("#tab-panel").getText();
  }

  @Test
  void aJsonResponseIsPrettyPrinted() {
    panel(workshop.profile, "response", "pre.json .j-key");
    String json = browser.jsText("document.querySelector('#tab-panel pre.json').textContent");
    assertTrue(json.contains("\"name\": \"Alice Example\""), json);
    assertTrue(json.contains("\"roles\": [\n    \"student\",\n    \"admin\"\n  ]"), json);
    assertTrue(browser.findAll("#tab-panel pre.json .j-bool").size() == 1);
  }

  @Test
  void aFormBodyBecomesATableWithItsPasswordMarked() {
    String text = panel(workshop.httpLogin, "request", "table.form-fields");
    assertTrue(text.contains("POST http://127.0.0.1:" + workshop.http.port() + "/login?next=/home&api_key=k-42"), text);
    WebElement password = browser.find("#tab-panel table.form-fields tr.secret");
    assertEquals("password hunter2", password.getText());
    assertEquals(2, browser.findAll("#tab-panel table.headers tr.secret").size(),
        "Authorization and Cookie are marked");
  }

  @Test
  void aGzipBodyIsDecodedForReadingAndCanStillBeSeenAsSent() {
    String text = panel(workshop.gzip, "response", "pre.json");
    assertTrue(text.contains("sent compressed (gzip), decoded here for reading"), text);
    assertTrue(browser.find("#tab-panel pre.json").getText().contains("Alice Example"));

    browser.find("#tab-panel button[data-mode='sent']").click();
    browser.await("document.querySelector('#tab-panel pre.hex')");
    assertTrue(browser.find("#tab-panel pre.hex").getText().startsWith("00000000  1f 8b"),
        "the gzip magic bytes, as they crossed the wire");
  }

  @Test
  void anImageIsShownFromABlobOfItsOwnBytes() {
    panel(workshop.pixel, "response", "img.body-image");
    browser.await("document.querySelector('#tab-panel img.body-image').naturalWidth === 4");
    assertTrue(browser.find("#tab-panel img.body-image").getAttribute("src").startsWith("blob:"));
  }

  @Test
  void binaryIsHexDumped() {
    panel(workshop.binary, "response", "pre.hex");
    String dump = browser.find("#tab-panel pre.hex").getText();
    assertTrue(dump.startsWith("00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  ................"), dump);
    assertTrue(dump.contains("00000040  40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f  @ABCDEFGHIJKLMNO"), dump);
  }

  @Test
  void aLargeBodyIsCutShortAndThePageStaysQuick() {
    String text = panel(workshop.big, "response", "pre.body-text");
    assertTrue(text.contains("Plainsight kept only the first 1.0 MB"), text);
    assertTrue(text.contains("showing the first 256 kB of 1.0 MB"), text);
    assertEquals(256 * 1024, browser.jsNumber("document.querySelector('#tab-panel pre.body-text').textContent.length"));
    long started = System.nanoTime();
    browser.find("#tab-response").click();
    browser.find("#tab-request").click();
    assertTrue(System.nanoTime() - started < 3_000_000_000L, "the page still answers at once");
  }

  @Test
  void theSecretsTabDecodesBasicAuthAndSaysWhoCouldReadIt() {
    String plain = panel(workshop.httpLogin, "secrets", "table.secret-table");
    assertTrue(plain.contains("Anyone on the path could read this"), plain);
    assertTrue(plain.contains("user \"alice\", password \"open-sesame\""), plain);
    for (String secret : List.of("hunter2", "t-777", "k-42", "s3cr3t-")) {
      assertTrue(plain.contains(secret), secret + " is listed: " + plain);
    }

    String decrypted = panel(workshop.httpsLogin, "secrets", "table.secret-table");
    assertTrue(decrypted.contains("readable only") || decrypted.contains("only because this client trusted the Plainsight CA"), decrypted);
    assertFalse(decrypted.contains("Anyone on the path could read this"), decrypted);
  }

  @Test
  void theTlsTabShowsTheForgedAndTheRealCertificateSideBySide() {
    panel(workshop.httpsLogin, "tls", ".side-by-side");
    List<WebElement> sides = browser.findAll("#tab-panel .tls-side");
    assertEquals(2, sides.size());
    assertTrue(sides.get(0).getText().startsWith("Browser ↔ Plainsight"));
    assertTrue(browser.find("#tab-panel .issuer-forged").getText().contains("Plainsight CA"));
    assertTrue(browser.find("#tab-panel .issuer-real").getText().contains("Workshop Origin CA"));
    assertEquals(2, browser.findAll("#tab-panel svg.ladder-svg").size(), "a record ladder per side");
    assertTrue(browser.findAll("#tab-panel svg.ladder-svg g.record").size() >= 6);
    assertTrue(sides.get(1).getText().contains("ServerHello, sent by the server in clear"));
  }

  @Test
  void theTimingTabDrawsAWaterfall() {
    String text = panel(workshop.httpsLogin, "timing", ".waterfall-row");
    assertTrue(text.contains("TLS with the client") && text.contains("Waiting"), text);
    assertTrue(browser.findAll("#tab-panel .bar").size() >= 3);
  }

  @Test
  void theListAndTheTabsWorkFromTheKeyboard() {
    browser.open(workshop.dashboardUrl());
    browser.await("document.querySelector('.flow-row[aria-rowindex=\"2\"][data-id]')");
    WebElement list = browser.find("#flows-viewport");
    list.click();
    list.sendKeys(Keys.HOME);
    String newest = browser.jsText("document.querySelector('.flow-row[aria-rowindex=\"2\"]').dataset.id");
    browser.await("location.hash.startsWith('#/flow/" + newest + "')");
    list.sendKeys(Keys.ARROW_DOWN);
    browser.await("document.querySelector('.flow-row.selected').getAttribute('aria-rowindex') === '3'");
    String second = browser.jsText("document.querySelector('.flow-row.selected').dataset.id");
    browser.await("location.hash.startsWith('#/flow/" + second + "')");

    browser.open(workshop.at("#/flow/" + workshop.httpLogin + "/request"));
    browser.await("document.querySelector('#tab-request[aria-selected=true]')");
    browser.find("#tab-request").sendKeys(Keys.ARROW_RIGHT);
    browser.await("location.hash === '#/flow/" + workshop.httpLogin + "/response'");
    browser.await("document.activeElement.id === 'tab-response'");
  }
}
