package dev.plainsight.dashboard.ui;

import static dev.plainsight.testing.WebSocketFrames.TEXT;
import static dev.plainsight.testing.WebSocketFrames.fromClient;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.testing.WebSocketFrames;
import dev.plainsight.testing.WebSocketOrigin;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** The Messages tab of a WebSocket flow captured through the workshop's proxy. */
class WebSocketMessagesTest {
  static final String SENT = "meet at <b>noon</b>, password tiger";
  static Workshop workshop;
  static Browser browser;
  static WebSocketOrigin origin;

  @BeforeAll
  static void start() {
    workshop = Workshop.shared();
    browser = Browser.shared();
    origin = WebSocketOrigin.plain();
  }

  @AfterAll
  static void stop() {
    origin.close();
  }

  @Test
  void theMessagesTabListsEachMessageWithItsDirectionAsPlainText() throws Exception {
    String url = "http://127.0.0.1:" + origin.port() + "/chat?ui";
    try (Socket socket = WebSocketFrames.upgrade(workshop.plainsight.proxyPort(), url, null)) {
      socket.getOutputStream().write(fromClient(TEXT, SENT.getBytes(UTF_8)));
      WebSocketFrames.read(socket.getInputStream());
    }
    Flow flow = workshop.plainsight.awaitFlow(f -> url.equals(f.url())
        && f.messages().size() >= 2);

    browser.go(workshop.at("#/flow/" + flow.id() + "/messages"));
    browser.await("document.querySelectorAll('#tab-panel tr.ws-message').length >= 2");
    List<WebElement> rows = browser.findAll("#tab-panel tr.ws-message");
    assertTrue(rows.get(0).getText().startsWith("→"), rows.get(0).getText());
    assertTrue(rows.get(0).getText().contains("text"), rows.get(0).getText());
    assertTrue(rows.get(0).getText().contains(SENT), "the markup shows as text");
    assertTrue(rows.get(1).getText().startsWith("←"), rows.get(1).getText());
    assertTrue(rows.get(1).getText().contains("echo: " + SENT), rows.get(1).getText());
    assertEquals(0, browser.findAll("#tab-panel b").size(), "captured markup is never parsed");
    assertEquals("true", browser.find("#tab-messages").getAttribute("aria-selected"));
    assertEquals(List.of(), browser.severeConsoleMessages());
  }
}
