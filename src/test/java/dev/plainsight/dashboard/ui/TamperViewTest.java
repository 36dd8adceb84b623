package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.testing.PageOrigin;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A trainer adds the banner rule in the dashboard, and the changed page is marked and explained. */
class TamperViewTest {
  static Workshop workshop;
  static Browser browser;
  static PageOrigin pages;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
    pages = new PageOrigin();
  }

  @AfterAll
  static void stop() {
    pages.close();
  }

  @AfterEach
  void noRulesLeftAndNoScriptErrors() {
    workshop.plainsight.api("PUT", "/api/rules", "[]");
    assertEquals(List.of(), browser.severeConsoleMessages());
  }

  @Test
  void aTrainerAddsTheBannerExampleAndSeesTheChangedPageMarkedWithBeforeAndAfter() throws Exception {
    browser.go(workshop.at("#/control"));
    browser.await("document.querySelector('#rule-table tbody')");
    browser.find("#add-banner-example").click();
    browser.await("document.querySelector('#rule-table tr[data-rule=banner]')");
    assertTrue(browser.find(".tamper-status").getText().startsWith("Added the banner example"));

    String url = pages.url("/page?tamper-ui");
    HttpResponse<String> page = workshop.plainsight.client(null).send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(page.body().contains("This page was changed by the proxy"), page.body());
    Flow flow = workshop.plainsight.awaitFlow(f -> url.equals(f.url()));

    browser.go(workshop.at("#/"));
    browser.await("document.querySelector('#flow-row-" + flow.id() + ".modified .modified-mark')");
    browser.go(workshop.at("#/flow/" + flow.id() + "/tampered"));
    browser.await("document.querySelector('.modification .after')");
    assertTrue(browser.find(".modification .after").getText().contains("This page was changed by the proxy"));
    assertEquals(PageOrigin.PAGE.strip(), browser.find(".modification .before").getText().strip());

    browser.clickText(".request-tool-buttons button", "Copy as curl");
    browser.await("document.querySelector('textarea.curl-command')");
    assertTrue(browser.jsText("document.querySelector('textarea.curl-command').value")
        .startsWith("curl '" + url + "'"));

    browser.clickText(".request-tool-buttons button", "Replay");
    browser.await("/^#\\/flow\\/\\d+\\//.test(location.hash) && !location.hash.startsWith('#/flow/"
        + flow.id() + "/')");
    browser.await("document.querySelector('.detail-summary') && "
        + "document.querySelector('.detail-summary').textContent.includes('Replay of flow #" + flow.id() + "')");
  }
}
