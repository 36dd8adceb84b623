package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lesson per flow, the eavesdropper/proxy toggle, refusals explained, and Compare. */
class LessonViewTest {
  static final List<String> STEPS = List.of("step-dns", "step-tcp", "step-tls-hello",
      "step-certificate", "step-key-exchange", "step-finished", "step-application-data", "step-http");

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

  private void openLesson(long flow) {
    browser.go(workshop.at("#/flow/" + flow + "/lesson"));
    browser.await("document.querySelectorAll('#tab-panel .steps > li').length === 8");
  }

  private String httpStepLabels() {
    return browser.jsText("[...document.querySelectorAll('#step-http .arrow-label')]"
        + ".map(l => l.textContent).join(' | ')");
  }

  @Test
  void aDecryptedFlowsLessonTogglesBetweenTheEavesdroppersAndTheProxysView() {
    openLesson(workshop.httpsLogin);
    assertEquals(STEPS, browser.js("return [...document.querySelectorAll('#tab-panel .steps > li')].map(li => li.id);"));
    String keyExchange = browser.find("#step-key-exchange .evidence").getText();
    assertTrue(keyExchange.contains("premaster secret") && keyExchange.contains("This handshake did not")
        && keyExchange.contains("Forward secrecy"), keyExchange);

    browser.clickText(".view-toggle button", "Eavesdropper view");
    assertEquals("encrypted", browser.find("#step-certificate .chip").getText());
    assertEquals("encrypted", browser.find("#step-http .chip").getText());
    assertEquals("in clear", browser.find("#step-key-exchange .chip").getText());
    assertEquals("in clear", browser.find("#step-tls-hello .chip").getText());
    String eavesdropper = httpStepLabels();
    assertFalse(eavesdropper.contains("/login"), "an eavesdropper cannot read the request: " + eavesdropper);
    assertTrue(eavesdropper.contains("17 03 03") && eavesdropper.contains("ciphertext"), eavesdropper);
    assertTrue(browser.find("#step-http .step-sees").getText().startsWith("Eavesdropper sees"));

    browser.clickText(".view-toggle button", "Proxy view");
    assertEquals("visible only because Plainsight terminated TLS", browser.find("#step-certificate .chip").getText());
    assertEquals("visible only because Plainsight terminated TLS", browser.find("#step-http .chip").getText());
    assertEquals("in clear", browser.find("#step-tls-hello .chip").getText());
    String proxy = httpStepLabels();
    assertTrue(proxy.startsWith("POST /login?next=/home + Cookie + Authorization | "), proxy);
    assertTrue(browser.find("#step-http .step-sees").getText().startsWith("Plainsight sees"));
    assertEquals("true", browser.find(".view-toggle .toggle-proxy").getAttribute("aria-pressed"));
    assertTrue(browser.find("#step-certificate").getText().contains("forged certificate for 127.0.0.1, issuer CN=Plainsight CA"));

    browser.clickText(".view-toggle button", "Eavesdropper view");
    assertEquals(eavesdropper, httpStepLabels());
    assertEquals("encrypted", browser.find("#step-certificate .chip").getText());
  }

  @Test
  void aPlainHttpFlowLooksTheSameToTheEavesdropperAndToTheProxy() {
    openLesson(workshop.httpLogin);
    assertTrue(browser.find("#tab-panel .lesson-intro").getText().contains("Both views below are the same"));
    browser.clickText(".view-toggle button", "Eavesdropper view");
    String eavesdropper = httpStepLabels();
    browser.clickText(".view-toggle button", "Proxy view");
    assertEquals(eavesdropper, httpStepLabels());
    assertTrue(eavesdropper.startsWith("POST http://127.0.0.1:"), eavesdropper);
    assertEquals("did not happen", browser.find("#step-certificate .chip").getText());
    assertEquals("in clear", browser.find("#step-http .chip").getText());
  }

  @Test
  void aRefusedFlowIsExplained() {
    browser.go(workshop.at("#/flow/" + workshop.rejected));
    browser.await("document.querySelector('#tab-lesson[aria-selected=true]') && document.querySelector('#tab-panel .refusal')");
    String refusal = browser.find("#tab-panel .refusal").getText();
    for (String fact : List.of("The client refused Plainsight's certificate", "unknown_ca (48)",
        "curl", "SSL certificate problem: unable to get local issuer certificate", "HSTS",
        "no request at all")) {
      assertTrue(refusal.contains(fact), fact + " in: " + refusal);
    }
    assertEquals(1, browser.findAll("#tab-panel .refusal a[href='/ca']").size(), "how to trust the CA");
    assertTrue(refusal.contains("Alert sent: unknown_ca (48)") && refusal.contains("in clear")
        && !refusal.contains("No alert"), "an alert, never also 'no alert': " + refusal);
    assertTrue(browser.find("#step-certificate .style-alert").getText().contains("unknown_ca (48)"));
    assertEquals("tried and failed", browser.find("#step-certificate .chip").getText());
    assertEquals("did not happen", browser.find("#step-http .chip").getText());

    browser.find("#tab-request").click();
    browser.await("document.querySelector('#tab-panel').textContent.includes('No request was ever sent')");
    assertEquals("refused", browser.find("#flow-row-" + workshop.rejected + " .c-status").getText());
  }

  @Test
  void aTunnelShowsOnlyWhatAnyEavesdropperSees() {
    openLesson(workshop.tunnel);
    assertTrue(browser.find("#tab-panel .lesson-intro").getText().contains("Both views are the same"));
    assertEquals("encrypted", browser.find("#step-certificate .chip").getText());
    assertEquals("encrypted", browser.find("#step-http .chip").getText());
    browser.find("#tab-response").click();
    browser.await("document.querySelector('#tab-panel').textContent.includes('sealed TLS tunnel')");
  }

  @Test
  void compareShowsTheSameLoginOverHttpAndHttpsSideBySide() {
    browser.open(workshop.at("#/flow/" + workshop.httpLogin + "/request"));
    browser.await("document.querySelector('.detail-tools')");
    browser.clickText(".detail-tools button", "Compare: left");
    browser.js("location.hash = '#/flow/" + workshop.httpsLogin + "/request';");
    browser.await("document.querySelector('.flow-number').textContent === '#" + workshop.httpsLogin + "'");
    browser.clickText(".detail-tools button", "Compare: right");
    browser.await("location.hash === '#/compare/" + workshop.httpLogin + "/" + workshop.httpsLogin + "'");
    browser.await("document.querySelectorAll('.compare-row').length > 8");

    List<String> exposures = browser.findAll(".compare-row .exposure").stream().map(e -> e.getText()).toList();
    assertTrue(exposures.get(0).startsWith("Anyone on the path could read this"), exposures.toString());
    assertTrue(exposures.get(1).contains("only because this client trusted the Plainsight CA"), exposures.toString());
    String httpRow = browser.jsText("[...document.querySelectorAll('.compare-step')].find(r => r.firstChild.textContent === 'HTTP').textContent");
    assertTrue(httpRow.contains("in clear") && httpRow.contains("visible only because Plainsight terminated TLS"), httpRow);
  }
}
