package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.WebSocketOrigin;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket upgrades work through plain and intercepted connections. */
class WebSocketTest {
  @TempDir static Path dir;
  static TestPki pki;
  static WebSocketOrigin plainOrigin;
  static WebSocketOrigin tlsOrigin;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    pki = TestPki.create("WebSocket CA");
    plainOrigin = WebSocketOrigin.plain();
    tlsOrigin = WebSocketOrigin.tls(pki.issue("127.0.0.1").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    plainOrigin.close();
    tlsOrigin.close();
  }

  @Test
  void aPlainWebSocketUpgradesThroughTheProxyAndEchoes() throws Exception {
    String url = "http://127.0.0.1:" + plainOrigin.port() + "/chat";
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + url + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + plainOrigin.port() + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101"), head);

      out.write(maskedTextFrame("hello over ws"));
      out.flush();
      assertEquals("echo: hello over ws", readTextFrame(in));
    }
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals(101, flow.status());
  }

  @Test
  void aSecureWebSocketIsInterceptedAndEchoes() throws Exception {
    String url = "wss://127.0.0.1:" + tlsOrigin.tlsPort() + "/chat";
    CompletableFuture<String> reply = new CompletableFuture<>();
    WebSocket socket = plainsight.clientTrustingPlainsight().newWebSocketBuilder()
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            reply.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    socket.sendText("hello over wss", true);
    assertEquals("echo: hello over wss", reply.get(10, TimeUnit.SECONDS));
    socket.abort();

    String captured = "https://127.0.0.1:" + tlsOrigin.tlsPort() + "/chat";
    Flow flow = plainsight.awaitFlow(f -> captured.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());
    assertEquals(101, flow.status());
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
      head.append((char) b);
    }
    return head.toString();
  }

  private static byte[] maskedTextFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  private static String readTextFrame(InputStream in) throws Exception {
    DataInputStream data = new DataInputStream(in);
    int first = data.readUnsignedByte();
    assertEquals(0x81, first, "a final text frame");
    int length = data.readUnsignedByte() & 0x7f;
    byte[] payload = new byte[length];
    data.readFully(payload);
    return new String(payload, StandardCharsets.UTF_8);
  }
}
