package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/** The trainer's controls: the intercept policy, live, and capture sessions. */
class ControlPanelTest {
  static Workshop workshop;
  static Browser browser;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
  }

  @AfterAll
  static void stop() {
    workshop.plainsight.api("PUT", "/api/policy", "{\"passthrough\":[\"localhost\"]}");
  }

  @AfterEach
  void noScriptErrorsNorCspViolations() {
    assertEquals(List.of(), browser.severeConsoleMessages());
  }

  @Test
  void aTrainerFlipsAHostBetweenTunnelledAndInterceptedDuringTheDemo() throws Exception {
    browser.open(workshop.at("#/control"));
    browser.await("document.querySelector('#passthrough-list .glob').textContent === 'localhost'");

    browser.clickText("#passthrough-list button", "Intercept again");
    browser.await("document.getElementById('passthrough-list').textContent.includes('every HTTPS host is intercepted')");
    assertEquals("[]", workshop.plainsight.api("/api/policy").json().get("passthrough").toString());
    String intercepted = workshop.https.url("localhost", "/hello?flip=intercepted");
    Curl.Result decrypted = Curl.run("-s", "-o", "/dev/null", "-x", workshop.plainsight.proxyUrl(),
        "--cacert", workshop.plainsight.caPem().toString(), intercepted);
    assertEquals(0, decrypted.exitCode(), decrypted.stderr());
    assertEquals(FlowKind.HTTPS_DECRYPTED, workshop.plainsight.awaitFlow(f -> intercepted.equals(f.url())).kind());

    browser.find("#passthrough-input").sendKeys("localhost", Keys.ENTER);
    browser.await("document.querySelector('#passthrough-list .glob') && "
        + "document.querySelector('#passthrough-list .glob').textContent === 'localhost'");
    assertTrue(browser.find(".policy-status").getText().startsWith("Saved: passing through localhost"));
    long tunnelsBefore = tunnels();
    Curl.Result sealed = Curl.run("-s", "-o", "/dev/null", "-x", workshop.plainsight.proxyUrl(),
        "--cacert", workshop.pki.writeCaPem(workshop.dir).toString(),
        workshop.https.url("localhost", "/hello?flip=tunnelled"));
    assertEquals(0, sealed.exitCode(), sealed.stderr());
    workshop.plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL && tunnels() > tunnelsBefore);
  }

  private static long tunnels() {
    return workshop.plainsight.app().store().query(new dev.plainsight.flow.FlowQuery(null,
        FlowKind.HTTPS_TUNNEL, null, null, 1000, 0)).total();
  }

  @Test
  void aTrainerStartsANamedSessionAndItBecomesCurrent() {
    browser.open(workshop.at("#/control"));
    browser.await("document.querySelector('#session-table tbody tr')");
    browser.find("#new-session-name").sendKeys("Group B login demo", Keys.ENTER);
    browser.await("[...document.querySelectorAll('#session-table tr.current .session-name')]"
        + ".some(n => n.textContent === 'Group B login demo')");
    assertTrue(browser.find(".sessions-status").getText().startsWith("Starting a session: done"));
    assertTrue(browser.jsText("[...document.querySelectorAll('#filter-session option')].map(o => o.textContent).join('|')")
        .contains("Group B login demo (current)"), "the session filter knows it");
    assertTrue(workshop.plainsight.api("/api/sessions").text().contains("Group B login demo"));
  }
}
