package dev.plainsight.proxy;

import static dev.plainsight.testing.WebSocketFrames.BINARY;
import static dev.plainsight.testing.WebSocketFrames.CLOSE;
import static dev.plainsight.testing.WebSocketFrames.TEXT;
import static dev.plainsight.testing.WebSocketFrames.fromClient;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.WebSocketMessage;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.WebSocketFrames;
import dev.plainsight.testing.WebSocketOrigin;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket upgrades work through plain and intercepted connections, and each message is captured
 * with its flow, both ways, while the frames pass unchanged.
 */
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
  void textBinaryAndCloseMessagesOverPlainWebSocketAreCapturedBothWays() throws Exception {
    String url = "http://127.0.0.1:" + plainOrigin.port() + "/chat?both-ways";
    try (Socket socket = upgrade(plainsight, url, null)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(fromClient(TEXT, "hello over ws".getBytes(UTF_8)));
      assertEquals("echo: hello over ws", new String(WebSocketFrames.read(in).payload(), UTF_8));
      out.write(fromClient(BINARY, new byte[] {0, 1, 2, (byte) 0xff}));
      assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, WebSocketFrames.read(in).payload());
      out.write(fromClient(CLOSE, new byte[] {0x03, (byte) 0xe8}));
      assertEquals(0x88, WebSocketFrames.read(in).first(), "the server answers the close");
    }
    Flow flow = awaitMessages(plainsight, url, 6);
    assertEquals(FlowKind.HTTP, flow.kind());
    List<WebSocketMessage> messages = flow.messages();
    assertEquals(List.of("text", "text", "binary", "binary", "close", "close"),
        messages.stream().map(WebSocketMessage::type).toList());
    assertEquals(List.of(true, false, true, false, true, false),
        messages.stream().map(WebSocketMessage::fromClient).toList());
    assertEquals("hello over ws", new String(messages.get(0).payload(), UTF_8));
    assertEquals("echo: hello over ws", new String(messages.get(1).payload(), UTF_8));
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, messages.get(3).payload());

    JsonNode detail = plainsight.api("/api/flows/" + flow.id()).json();
    assertEquals(6, detail.get("messageCount").asInt());
    JsonNode first = detail.get("messages").get(0);
    assertEquals("hello over ws", first.get("text").asText());
    assertTrue(first.get("fromClient").asBoolean());
    assertEquals(13, first.get("size").asInt());
    assertEquals("AAEC/w==", detail.get("messages").get(2).get("base64").asText());
    assertEquals(1000, detail.get("messages").get(4).get("closeCode").asInt());
  }

  @Test
  void compressedMessagesAreCapturedAsTheirText() throws Exception {
    String url = "http://127.0.0.1:" + plainOrigin.port() + "/chat?deflate";
    try (Socket socket = upgrade(plainsight, url, "permessage-deflate")) {
      Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      byte[] compressed = WebSocketFrames.deflate(deflater, "squeezed".getBytes(UTF_8));
      socket.getOutputStream().write(WebSocketFrames.frame(TEXT, true, true, true, compressed));
      assertEquals(0xc1, WebSocketFrames.read(socket.getInputStream()).first(),
          "the echo comes back compressed (RSV1 set)");
    }
    Flow flow = awaitMessages(plainsight, url, 2);
    assertEquals("squeezed", new String(flow.messages().get(0).payload(), UTF_8));
    assertEquals("echo: squeezed", new String(flow.messages().get(1).payload(), UTF_8));
  }

  @Test
  void aMessageLargerThanTheCaptureLimitIsForwardedWholeAndKeptTruncated(@TempDir Path own)
      throws Exception {
    try (RunningPlainsight small = RunningPlainsight.start(own, pki, List.of(), 1024)) {
      String url = "http://127.0.0.1:" + plainOrigin.port() + "/chat?large";
      byte[] large = new byte[5000];
      Arrays.fill(large, (byte) 'z');
      try (Socket socket = upgrade(small, url, null)) {
        socket.getOutputStream().write(fromClient(TEXT, large));
        byte[] echo = WebSocketFrames.read(socket.getInputStream()).payload();
        assertEquals("echo: " + new String(large, UTF_8), new String(echo, UTF_8),
            "forwarded whole both ways");
      }
      Flow flow = awaitMessages(small, url, 2);
      WebSocketMessage sent = flow.messages().get(0);
      assertEquals(5000, sent.size());
      assertEquals(1024, sent.payload().length);
      assertTrue(sent.truncated());
      assertEquals(5006, flow.messages().get(1).size());
      assertTrue(small.api("/api/flows/" + flow.id()).json().get("messages").get(0)
          .get("truncated").asBoolean());
    }
  }

  @Test
  void capturedMessagesAreReadBackFromTheStoreAfterARestart(@TempDir Path own) throws Exception {
    String url = "http://127.0.0.1:" + plainOrigin.port() + "/chat?restart";
    long id;
    try (RunningPlainsight first = RunningPlainsight.start(own, pki, List.of())) {
      try (Socket socket = upgrade(first, url, null)) {
        socket.getOutputStream().write(fromClient(TEXT, "remember me".getBytes(UTF_8)));
        WebSocketFrames.read(socket.getInputStream());
      }
      id = awaitMessages(first, url, 2).id();
    }
    try (RunningPlainsight second = RunningPlainsight.start(own, pki, List.of())) {
      Flow flow = second.app().store().find(id).orElseThrow();
      assertEquals(List.of("remember me", "echo: remember me"), flow.messages().stream()
          .map(m -> new String(m.payload(), UTF_8)).toList());
      assertEquals("remember me",
          second.api("/api/flows/" + id).json().get("messages").get(0).get("text").asText());
    }
  }

  @Test
  void aPlainWebSocketOpenedWithConnectIsProxiedAsPlainHttpAndItsMessagesCaptured()
      throws Exception {
    String page = "http://127.0.0.1:" + plainOrigin.port() + "/";
    plainsight.client(null).send(java.net.http.HttpRequest.newBuilder(URI.create(page)).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding());
    String url = "ws://127.0.0.1:" + plainOrigin.port() + "/chat?through-connect";
    CompletableFuture<String> reply = new CompletableFuture<>();
    WebSocket socket = plainsight.client(null).newWebSocketBuilder()
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            reply.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    socket.sendText("hello through CONNECT", true);
    assertEquals("echo: hello through CONNECT", reply.get(10, TimeUnit.SECONDS));
    socket.abort();

    Flow flow = awaitMessages(plainsight,
        "http://127.0.0.1:" + plainOrigin.port() + "/chat?through-connect", 2);
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals("hello through CONNECT", new String(flow.messages().get(0).payload(), UTF_8));
    assertTrue(plainsight.app().store().query(dev.plainsight.flow.FlowQuery.all()).flows()
        .stream().noneMatch(f -> "CONNECT".equals(f.method())
            && f.port() == plainOrigin.port()), "no tunnel or error flow for the CONNECT");
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

  @Test
  void messagesOverAnInterceptedSecureWebSocketAreCapturedDecrypted() throws Exception {
    String url = "wss://127.0.0.1:" + tlsOrigin.tlsPort() + "/chat?decrypted";
    CompletableFuture<String> text = new CompletableFuture<>();
    CompletableFuture<byte[]> binary = new CompletableFuture<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket = plainsight.clientTrustingPlainsight().newWebSocketBuilder()
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.complete(data.toString());
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.complete(bytes);
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    socket.sendText("secret over wss", true).get(10, TimeUnit.SECONDS);
    assertEquals("echo: secret over wss", text.get(10, TimeUnit.SECONDS));
    socket.sendBinary(ByteBuffer.wrap(new byte[] {7, 8, 9}), true).get(10, TimeUnit.SECONDS);
    assertArrayEquals(new byte[] {7, 8, 9}, binary.get(10, TimeUnit.SECONDS));
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    assertEquals(WebSocket.NORMAL_CLOSURE, closed.get(10, TimeUnit.SECONDS));

    String captured = "https://127.0.0.1:" + tlsOrigin.tlsPort() + "/chat?decrypted";
    Flow flow = awaitMessages(plainsight, captured, 6);
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());
    List<WebSocketMessage> messages = flow.messages();
    assertEquals(List.of("text", "text", "binary", "binary", "close", "close"),
        messages.stream().map(WebSocketMessage::type).toList());
    assertEquals("secret over wss", new String(messages.get(0).payload(), UTF_8));
    assertTrue(messages.get(0).fromClient());
    assertEquals("echo: secret over wss", new String(messages.get(1).payload(), UTF_8));
    assertFalse(messages.get(1).fromClient());
    assertArrayEquals(new byte[] {7, 8, 9}, messages.get(3).payload());
  }

  private static Socket upgrade(RunningPlainsight through, String url, String extensions)
      throws Exception {
    return WebSocketFrames.upgrade(through.proxyPort(), url, extensions);
  }

  /** The flow of {@code url} once it holds at least {@code count} messages. */
  private static Flow awaitMessages(RunningPlainsight in, String url, int count) {
    Predicate<Flow> match = f -> url.equals(f.url()) && f.messages().size() >= count;
    return in.awaitFlow(match);
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
