package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.Zbar;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.OutputType;

/**
 * The trainer's Join panel (first in Control) shows the room's addresses and a QR code that a
 * phone can read: the code as Chromium draws it, read back by zbarimg, is the page URL.
 */
class JoinPanelTest {
  static Workshop workshop;
  static Browser browser;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
  }

  @Test
  void theJoinPanelShowsAQrCodeOfThePageUrl() throws Exception {
    String page = workshop.plainsight.api("/api/join").json().get("page").asText();
    browser.open(workshop.at("#/control"));
    browser.await("document.getElementById('join-qr') && document.getElementById('join-qr').complete"
        + " && document.getElementById('join-qr').naturalWidth > 0");

    byte[] shown = browser.find("#join-qr").getScreenshotAs(OutputType.BYTES);

    assertEquals(page, Zbar.decode(shown));
    assertEquals(page, browser.find("#join-page").getText());
    assertTrue(browser.find("#join-proxy").getText().endsWith(":" + workshop.plainsight.proxyPort()));
    assertTrue(browser.find("#join-pac").getText().endsWith("/proxy.pac"));
    assertEquals("join", browser.jsText("document.querySelector('.control section').id"),
        "the panel comes first");
    assertEquals(List.of(), browser.severeConsoleMessages());
  }
}
