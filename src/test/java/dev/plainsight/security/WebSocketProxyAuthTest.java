package dev.plainsight.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.WebSocketOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code --proxy-auth}, the requests inside a CONNECT the proxy answers itself as plain
 * HTTP (how browsers open {@code ws://} through a proxy) belong to the CONNECT's participant: a
 * browser never repeats {@code Proxy-Authorization} inside a tunnel (issue 14.13; the upgrade got
 * 407 on main).
 */
class WebSocketProxyAuthTest {
  @TempDir static Path dir;
  static WebSocketOrigin origin;
  static RunningPlainsight plainsight;
  static final String CREDENTIALS = "Proxy-Authorization: Basic "
      + Base64.getEncoder().encodeToString("ada:room-9".getBytes(StandardCharsets.UTF_8));

  @BeforeAll
  static void start() {
    origin = WebSocketOrigin.plain();
    plainsight = RunningPlainsight.start(dir, Options.builder(0, 0,
            dir.resolve("ca"), dir.resolve("data"))
        .roomPassword("room-9").build());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  @Test
  void aWebSocketUpgradeInsideAnAuthenticatedConnectNeedsNoCredentialsOfItsOwn()
      throws Exception {
    String authority = "127.0.0.1:" + origin.port();
    try (RawProxyClient first = RawProxyClient.plain(plainsight.proxyPort())) {
      // an origin that has answered plain HTTP: its CONNECT is answered by the proxy itself
      first.send("GET http://" + authority + "/ HTTP/1.1\r\nHost: " + authority + "\r\n"
          + CREDENTIALS + "\r\nConnection: close\r\n\r\n");
      first.readHead();
    }
    try (RawProxyClient browser = RawProxyClient.plain(plainsight.proxyPort())) {
      browser.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"
          + CREDENTIALS + "\r\n\r\n");
      assertTrue(browser.readHead().startsWith("HTTP/1.1 200"));

      browser.send("GET /chat?inside HTTP/1.1\r\nHost: " + authority + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      String head = browser.readHead();

      assertTrue(head.startsWith("HTTP/1.1 101"), head);
    }
    Flow flow = plainsight.awaitFlow(f -> ("http://" + authority + "/chat?inside")
        .equals(f.url()));
    assertEquals(101, flow.status());
    assertEquals("ada", flow.participant());
  }
}
