package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.MisbehavingServer;
import dev.plainsight.testing.NettyLeaks;
import dev.plainsight.testing.RawOrigin;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests whose framing two parsers could read differently (request smuggling) are refused, never
 * forwarded: raw-socket clients through a real Plainsight to raw origins that keep every byte they
 * receive. A refusal is a 400 with {@code Connection: close}, the connection closed, an {@code
 * error} flow naming what was wrong, and nothing at the origin. Well-framed requests (chunked
 * with extensions and trailers, pipelined, inside CONNECTs) still pass, and tunnels are not read.
 */
class RequestFramingTest {
  @TempDir static Path dir;
  static NettyLeaks leaks;
  static TestPki pki;
  static RawOrigin origin;
  static RawOrigin tlsOrigin;
  static RunningPlainsight plainsight;
  static final AtomicInteger CASES = new AtomicInteger();

  @BeforeAll
  static void start() {
    leaks = NettyLeaks.start();
    pki = TestPki.create("Framing CA");
    origin = RawOrigin.answering(RawOrigin.OK);
    tlsOrigin = RawOrigin.answeringOverTls(RawOrigin.OK,
        pki.issue("127.0.0.1", "localhost").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"));
  }

  @AfterAll
  static void noBufferLeakedAndStop() throws Exception {
    try (NettyLeaks watching = leaks) {
      assertEquals(List.of(), watching.reports(), "Netty's leak detector (PARANOID)");
    } finally {
      plainsight.close();
      origin.close();
      tlsOrigin.close();
    }
  }

  @Test
  void twoTransferEncodingFieldsAreRefused() throws Exception {
    assertRefused(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
        "5\r\nhello\r\n0\r\n\r\n"), "Transfer-Encoding");
  }

  @Test
  void anUnknownTransferCodingWithContentLengthIsRefused() throws Exception {
    assertRefused(post("Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n", "hello"),
        "Transfer-Encoding");
  }

  @Test
  void anObsFoldedTransferEncodingWithContentLengthIsRefused() throws Exception {
    assertRefused(post("Transfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n", "hello"),
        "obs-fold");
  }

  @Test
  void identityBeforeChunkedIsRefused() throws Exception {
    assertRefused(post("Transfer-Encoding: identity, chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"),
        "Transfer-Encoding");
  }

  @Test
  void chunkedThatIsNotTheFinalCodingIsRefused() throws Exception {
    assertRefused(post("Transfer-Encoding: chunked, gzip\r\n", "5\r\nhello\r\n0\r\n\r\n"),
        "Transfer-Encoding");
  }

  @Test
  void transferEncodingWithContentLengthIsRefusedWhateverItSays() throws Exception {
    assertRefused(post("Transfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n", "hello"),
        "Content-Length");
  }

  @Test
  void anObsFoldInAnyHeaderIsRefused() throws Exception {
    assertRefused(post("X-Folded: one\r\n\ttwo\r\nContent-Length: 5\r\n", "hello"), "obs-fold");
  }

  @Test
  void anObsoleteWebSocketKeyPairIsRefused() throws Exception {
    // Netty reads 8 bytes of body after a GET with these two headers (draft hixie-76): those bytes
    // would reach the origin as the start of a request of its own.
    assertRefused(("GET " + origin.url("/ws?hixie") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Sec-WebSocket-Key1: 1\r\nSec-WebSocket-Key2: 2\r\n\r\nGET /adm").getBytes(
            StandardCharsets.ISO_8859_1), "Sec-WebSocket-Key1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ZZZ", "-5", "0x3", "10000000000000000", "80000000", " 5"})
  void aBadChunkSizeIsRefused(String size) throws Exception {
    assertRefused(post("Transfer-Encoding: chunked\r\n", size + "\r\nhello\r\n0\r\n\r\n"),
        "chunk size");
  }

  @Test
  void aChunkSizeLineEndingInABareLfIsRefused() throws Exception {
    assertRefused(post("Transfer-Encoding: chunked\r\n", "5\nhello\r\n0\r\n\r\n"), "CRLF");
  }

  @Test
  void chunkDataNotFollowedByCrlfIsRefused() throws Exception {
    assertRefused(post("Transfer-Encoding: chunked\r\n", "5\r\nhelloXX\r\n0\r\n\r\n"), "CRLF");
  }

  @Test
  void aBadRequestBehindAGoodOneInTheSamePacketSendsNothing() throws Exception {
    String good = "GET " + origin.url("/good?" + CASES.incrementAndGet()) + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n\r\n";
    byte[] bad = post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n");
    assertRefused((good + new String(bad, StandardCharsets.ISO_8859_1))
        .getBytes(StandardCharsets.ISO_8859_1), "Content-Length");
  }

  /** Netty re-encodes chunks, dropping their extensions; sizes, data and trailers go through. */
  @Test
  void aChunkedUploadWithExtensionsAndTrailersIsForwarded() throws Exception {
    String body = "5;name=value\r\nhello\r\n6 ; a=\"b c\"\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
    int before = origin.received().length();
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send(new String(post("Transfer-Encoding: chunked\r\n", body),
          StandardCharsets.ISO_8859_1));
      assertTrue(client.readHead().startsWith("HTTP/1.1 200"));
    }
    String forwarded = origin.received().substring(before);
    assertTrue(forwarded.endsWith("\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n"
        + "X-Trailer: t\r\n\r\n"), forwarded);
  }

  @Test
  void pipelinedRequestsOnAKeptAliveConnectionAreAllAnswered() throws Exception {
    String one = "GET " + origin.url("/one") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    String two = new String(post("Content-Length: 5\r\n", "hello"), StandardCharsets.ISO_8859_1);
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send(one + two + one);
      for (int i = 0; i < 3; i++) {
        String head = client.readHead();
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        client.readBody(head, (offset, data, n) -> { });
      }
    }
  }

  @Test
  void aBadChunkSizeInsideAnInterceptedConnectIsRefused() throws Exception {
    SSLContext trust = RunningPlainsight.trusting(plainsight.app().ca().certificate());
    int before = tlsOrigin.received().length();
    String answer;
    try (RawProxyClient client = RawProxyClient.intercepted(plainsight.proxyPort(),
        tlsOrigin.port(), trust)) {
      client.send("POST /upload?inside-tls HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n");
      answer = readToClose(client.in());
    }
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.url() != null
        && f.url().equals(tlsOrigin.url("/upload?inside-tls")));
    assertTrue(flow.error().contains("chunk size"), flow.error());
    Thread.sleep(200);
    assertEquals("", tlsOrigin.received().substring(before), "nothing reached the origin");
  }

  @Test
  void aConnectAnsweredAsPlainHttpIsFollowedByCheckedRequests() throws Exception {
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send("GET " + origin.url("/makes-it-a-plain-origin") + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n\r\n");
      assertTrue(client.readHead().startsWith("HTTP/1.1 200"));
    }
    int before = origin.received().length();
    String target = "127.0.0.1:" + origin.port();
    String answer;
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String connect = readHead(socket.getInputStream());
      assertTrue(connect.startsWith("HTTP/1.1 200"), connect);
      socket.getOutputStream().write(("POST /after-plain-connect HTTP/1.1\r\nHost: " + target
          + "\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      answer = readToClose(socket.getInputStream());
    }
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.url() != null
        && f.url().endsWith("/after-plain-connect"));
    assertTrue(flow.error().contains("Content-Length"), flow.error());
    Thread.sleep(200);
    assertEquals("", origin.received().substring(before), "nothing reached the origin");
  }

  @Test
  void aTunnelIsPassedThroughUnread() throws Exception {
    RawOrigin tunnelled = RawOrigin.answering(RawOrigin.OK);
    try (tunnelled; Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      String target = "localhost:" + tunnelled.port();
      socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 200"));
      String inside = "POST /in-a-tunnel HTTP/1.1\r\nX-Folded: a\r\n b\r\n"
          + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n";
      socket.getOutputStream().write(inside.getBytes(StandardCharsets.US_ASCII));
      String answer = readHead(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertEquals(inside, tunnelled.received(), "the tunnel carries the bytes as sent");
    }
  }

  @Test
  void aBadChunkSizeAfterTheHeadWentOnCutsTheUploadOff() throws Exception {
    String url = origin.url("/upload?later-packet");
    int before = origin.received().length();
    String answer;
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("POST " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!origin.received().substring(before).contains("hello") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      socket.getOutputStream().write("ZZZ\r\nsmuggled\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      answer = readToClose(socket.getInputStream());
    }
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.endsWith("\n<closed>"), answer);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && url.equals(f.url())
        && f.error().startsWith("malformed request"));
    assertTrue(flow.error().contains("bad chunk size"), flow.error());
    Thread.sleep(200);
    String forwarded = origin.received().substring(before);
    assertTrue(forwarded.endsWith("\r\n5\r\nhello\r\n"), "the body is cut off after the "
        + "last good chunk: " + forwarded);
  }

  @Test
  void aBadRequestPipelinedBehindAPlainConnectIsRefusedAfterTheConnectsAnswer() throws Exception {
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send("GET " + origin.url("/plain-again") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertTrue(client.readHead().startsWith("HTTP/1.1 200"));
    }
    int before = origin.received().length();
    String target = "127.0.0.1:" + origin.port();
    String answer;
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
          + "\r\n\r\nGET /good-behind-connect HTTP/1.1\r\nHost: " + target + "\r\n\r\n"
          + "POST /bad-behind-connect HTTP/1.1\r\nHost: " + target + "\r\nTransfer-Encoding:"
          + " chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      answer = readToClose(socket.getInputStream());
    }
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.contains("HTTP/1.1 400"), answer);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.url() != null
        && f.url().endsWith("/bad-behind-connect"));
    assertTrue(flow.error().contains("Content-Length"), flow.error());
    Thread.sleep(200);
    assertEquals("", origin.received().substring(before), "the whole piece is refused");
  }

  @Test
  void bytesPipelinedBehindATunnelledConnectGoThroughAsSent() throws Exception {
    RawOrigin tunnelled = RawOrigin.answering(RawOrigin.OK);
    try (tunnelled; Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      String target = "localhost:" + tunnelled.port();
      String inside = "GET /early HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n";
      socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
          + "\r\n\r\n" + inside).getBytes(StandardCharsets.US_ASCII));
      assertTrue(readHead(socket.getInputStream()).startsWith("HTTP/1.1 200"));
      String answer = readHead(socket.getInputStream());
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertEquals(inside, tunnelled.received(), "the tunnel carries the bytes as sent");
    }
  }

  @Test
  void aClientFloodingBehindAnUnansweredUpgradeRequestIsClosed() throws Exception {
    try (MisbehavingServer silent = new MisbehavingServer(MisbehavingServer.Fault.NEVER_ANSWERS);
        Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(10_000);
      String url = silent.url("/ws?flood");
      socket.getOutputStream().write(("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      byte[] flood = new byte[64 * 1024];
      try {
        for (int i = 0; i < 8; i++) {
          socket.getOutputStream().write(flood);
        }
      } catch (SocketException closed) {
        // closed while flooding: the point
      }
      assertTrue(readToClose(socket.getInputStream()).endsWith("<closed>"));
      Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && url.equals(f.url())
          && f.error().contains("bytes after its GET"));
      assertTrue(flow.error().startsWith("the client sent more than 262144 bytes"), flow.error());
    }
  }

  /** A POST to the origin with the given header lines and body bytes. */
  private static byte[] post(String headers, String body) {
    return ("POST " + origin.url("/upload?case=" + CASES.incrementAndGet()) + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n" + headers + "\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends {@code request} in one write and checks the refusal: a 400 with Connection: close, then
   * the close, an error flow naming {@code reason}, and not one byte at the origin.
   */
  private static void assertRefused(byte[] request, String reason) throws Exception {
    int before = origin.received().length();
    int connections = origin.connections();
    String answer;
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request);
      answer = readToClose(socket.getInputStream());
    }
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.toLowerCase().contains("\r\nconnection: close\r\n"), answer);
    assertTrue(answer.endsWith("\n<closed>"), "the proxy closes the connection: " + answer);
    String firstLine = java.util.Arrays.stream(new String(request, StandardCharsets.ISO_8859_1)
        .split("\r\n")).filter(l -> l.matches("[A-Z]+ \\S+ HTTP/1\\.1")).reduce((a, b) -> b)
        .orElseThrow();
    String url = firstLine.split(" ")[1];
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && url.equals(f.url()));
    assertTrue(flow.error().startsWith("malformed request"), flow.error());
    assertTrue(flow.error().contains(reason), flow.error());
    assertEquals(firstLine.split(" ")[0], flow.method());
    assertEquals(400, flow.status());
    Thread.sleep(200);
    assertEquals("", origin.received().substring(before), "nothing reached the origin");
    assertEquals(connections, origin.connections(), "no connection to the origin");
  }

  /** What the proxy sent until it closed (then "\n<closed>") or went quiet for 5 s. */
  static String readToClose(InputStream in) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        answer.write(buffer, 0, n);
      }
      answer.writeBytes("\n<closed>".getBytes(StandardCharsets.US_ASCII));
    } catch (SocketTimeoutException quiet) {
      // not closed: the caller's assertion says so
    } catch (SocketException reset) {
      answer.writeBytes("\n<closed>".getBytes(StandardCharsets.US_ASCII));
    }
    return answer.toString(StandardCharsets.ISO_8859_1);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
