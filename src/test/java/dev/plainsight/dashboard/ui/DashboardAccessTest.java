package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Getting in: the token opens the dashboard, its absence is refused and explained; /ca is public. */
class DashboardAccessTest {
  static Workshop workshop;
  static Browser browser;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
  }


  @Test
  void withoutTheTokenTheDashboardIsRefusedAndSaysHowToGetIn() {
    browser.driver().manage().deleteAllCookies();
    browser.open(workshop.base() + "/");
    browser.await("!document.getElementById('refused').hidden");

    String text = browser.find("#refused").getText();
    assertTrue(text.contains("access token") && text.contains("/?token="), text);
    assertEquals("refused", browser.find("#status").getText());
    assertEquals(0, browser.findAll(".vlist-canvas .flow-row[data-id]").size(), "no flow is shown");
    assertEquals(401L, browser.js("return fetch('/api/flows').then(r => r.status);"));
  }

  @Test
  void withTheTokenTheFlowsLoadAndTheTokenLeavesTheAddressBar() {
    browser.open(workshop.dashboardUrl());
    browser.await("document.querySelector('#flow-row-" + workshop.httpLogin + "')");

    assertEquals("/", browser.jsText("location.pathname + location.search"),
        "the token is not left in the address bar, history or a screenshot");
    assertTrue(browser.find("#refused").getAttribute("hidden") != null);
    assertEquals(List.of(), browser.severeConsoleMessages(), "no script error, no CSP violation");
  }

  @Test
  void theCaPageIsPublicScriptFreeAndTeachesEveryPlatform() throws Exception {
    HttpResponse<String> page = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
        .send(HttpRequest.newBuilder(URI.create(workshop.base() + "/ca")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode(), "no token needed");
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));

    browser.driver().manage().deleteAllCookies();
    browser.open(workshop.base() + "/ca");
    assertEquals(0L, browser.jsNumber("document.scripts.length"), "the CA page needs no script");
    assertEquals(workshop.plainsight.app().ca().sha256Fingerprint(), browser.find("#fingerprint").getText());
    assertEquals(1, browser.findAll("a[href='/ca.pem']").size());
    assertTrue(browser.findAll("a[href='/ca.der']").size() >= 1);
    String text = browser.find("main").getText();
    for (String platform : List.of("Chromium and Chrome", "Firefox", "macOS", "Windows", "Android",
        "iPhone and iPad", "curl", "Java", "Node.js", "Python", "After the workshop: remove it")) {
      assertTrue(text.contains(platform), "the page covers " + platform);
    }
    assertTrue(text.contains(workshop.plainsight.app().ca().spkiSha256Base64()),
        "the SPKI hash for --ignore-certificate-errors-spki-list");
    assertEquals(List.of(), browser.severeConsoleMessages());
  }
}
