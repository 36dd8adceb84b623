package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.NettyLeaks;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or broken clients get a clear 4xx or a close, leave an error flow where there was a
 * request, and the proxy keeps serving everyone else. Netty's leak detector runs at PARANOID over
 * the whole class and must report nothing.
 */
class MalformedClientTest {
  @TempDir static Path dir;
  static NettyLeaks leaks;
  static OriginServer origin;
  static OriginServer httpsOrigin;
  static RunningPlainsight plainsight;
  static final AtomicInteger HEALTH_CHECKS = new AtomicInteger();

  @BeforeAll
  static void start() {
    leaks = NettyLeaks.start();
    TestPki pki = TestPki.create("Malformed CA");
    origin = OriginServer.http();
    httpsOrigin = OriginServer.https(pki.issue("127.0.0.1").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of());
  }

  @AfterAll
  static void noBufferLeakedAndStop() throws Exception {
    try (NettyLeaks watching = leaks) {
      assertEquals(List.of(), watching.reports(), "Netty's leak detector (PARANOID)");
    } finally {
      plainsight.close();
      origin.close();
      httpsOrigin.close();
    }
  }

  @AfterEach
  void othersAreStillServed() throws Exception {
    String url = origin.url("/hello?still-alive=" + HEALTH_CHECKS.incrementAndGet());
    Curl.Result ok = Curl.run("-s", "-x", plainsight.proxyUrl(), url);
    assertEquals("hello from the origin\n", ok.stdout());
  }

  @Test
  void garbageInsteadOfHttpGets400AndAnErrorFlow() throws Exception {
    String answer = exchange("\u0016\u0003\u0001garbage that is not http\r\n\r\n".getBytes(
        StandardCharsets.ISO_8859_1));
    // FramingGuard reads it before LittleProxy's decoder could
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
    assertTrue(answer.endsWith("\r\n\r\nPlainsight refused this request: bad request line "
        + "(method SP target SP version expected)\n"), answer);
    assertEquals("malformed request, refused with 400: bad request line (method SP target SP "
        + "version expected)", awaitMalformed().error());
  }

  @Test
  void aOneMegabyteRequestLineIsRefused() throws Exception {
    String line = "GET http://127.0.0.1:" + origin.port() + "/" + "a".repeat(1024 * 1024)
        + " HTTP/1.1\r\nHost: x\r\n\r\n";
    String answer = exchange(line.getBytes(StandardCharsets.US_ASCII));
    // LittleProxy's decoder refuses it (its own 400), MalformedRequestTracker records it
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
    assertTrue(answer.endsWith("\r\n\r\nUnable to parse HTTP request"), answer);
    assertEquals("malformed request, refused with 400: TooLongHttpLineException: An HTTP line "
        + "is larger than 8192 bytes.", awaitMalformed().error());
  }

  @Test
  void tenThousandHeadersAreRefused() throws Exception {
    StringBuilder request = new StringBuilder("GET " + origin.url("/hello?many-headers")
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (int i = 0; i < 10_000; i++) {
      request.append("X-Header-").append(i).append(": value\r\n");
    }
    request.append("\r\n");
    String answer = exchange(request.toString().getBytes(StandardCharsets.US_ASCII));
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
    assertTrue(answer.endsWith("\r\n\r\nUnable to parse HTTP request"), answer);
    assertEquals("malformed request, refused with 400: TooLongHttpHeaderException: HTTP header "
        + "is larger than 16384 bytes.", awaitMalformed().error());
  }

  @Test
  void anInvalidHeaderNameIsRefused() throws Exception {
    String answer = exchange(("GET " + origin.url("/hello?bad-name") + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nBad Header Name: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertEquals("malformed request, refused with 400: whitespace before a header's colon "
        + "(RFC 9112 \u00a75.1)", awaitMalformed().error());
  }

  @Test
  void aBadChunkSizeIsRefused() throws Exception {
    String url = origin.url("/echo?bad-chunk");
    String answer = exchange(("POST " + url + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && url.equals(f.url()));
    assertTrue(flow.error().startsWith("malformed request, refused with 400: bad chunk size"),
        flow.error());
    assertEquals(400, flow.status());
    Thread.sleep(200);
    assertTrue(plainsight.app().store().query(dev.plainsight.flow.FlowQuery.all()).flows().stream()
        .noneMatch(f -> url.equals(f.url()) && f.kind() != FlowKind.ERROR),
        "the request with a bad chunk size was never forwarded");
  }

  @Test
  void conflictingContentLengthAndTransferEncodingAreRefusedNotForwarded() throws Exception {
    String url = origin.url("/echo?smuggle");
    String answer = exchange(("POST " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        + "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertEquals("malformed request, refused with 400: both Transfer-Encoding and "
        + "Content-Length (request smuggling)", awaitMalformed().error());
    assertTrue(plainsight.app().store().query(dev.plainsight.flow.FlowQuery.all()).flows().stream()
        .noneMatch(f -> url.equals(f.url()) && f.kind() != FlowKind.ERROR),
        "the ambiguous request was never forwarded (its only flow is the refusal)");
  }

  @Test
  void aConnectToPortZeroIsRefused() throws Exception {
    String answer = exchange("CONNECT 127.0.0.1:0 HTTP/1.1\r\nHost: 127.0.0.1:0\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && "CONNECT".equals(f.method())
        && f.error().contains("port out of range"));
    assertTrue(flow.error().contains("bad CONNECT target"), flow.error());
  }

  @Test
  void aConnectToAnInvalidHostIsAnExplained502() throws Exception {
    String answer = exchange("CONNECT no-such-host.invalid:443 HTTP/1.1\r\nHost: x\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    assertTrue(answer.startsWith("HTTP/1.1 502"), answer);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR
        && "no-such-host.invalid".equals(f.host()));
    assertTrue(flow.error().contains("DNS"), flow.error());
  }

  @Test
  void aGarbageClientHelloInAnInterceptedConnectIsClosedAndRecorded() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      String target = "127.0.0.1:" + httpsOrigin.port();
      socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] head = new byte[39];
      int n = socket.getInputStream().readNBytes(head, 0, head.length);
      assertTrue(new String(head, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      byte[] garbage = new byte[300];
      new java.util.Random(8).nextBytes(garbage);
      garbage[0] = 0x16;
      garbage[1] = 0x03;
      garbage[2] = 0x01;
      garbage[3] = 0x01;
      garbage[4] = 0x27;
      socket.getOutputStream().write(garbage);
      int answered = 0;
      try {
        while (socket.getInputStream().read() >= 0 && answered < 100_000) {
          answered++;
        }
      } catch (SocketException reset) {
        // closed: the point
      }
      assertTrue(answered < 100, "an alert at most, then a close");
    }
    Flow flow = plainsight.awaitFlow(f -> "CONNECT".equals(f.method())
        && f.port() == httpsOrigin.port());
    assertEquals(FlowKind.ERROR, flow.kind());
    assertTrue(flow.error().startsWith("the client sent no TLS ClientHello after its CONNECT"),
        flow.error());
  }

  /** The next error flow of a malformed request; it is a 400. */
  private static Flow awaitMalformed() {
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.error() != null
        && f.error().startsWith("malformed request") && f.id() > lastMalformedId);
    lastMalformedId = flow.id();
    assertEquals(400, flow.status(), flow.error());
    return flow;
  }

  private static long lastMalformedId;

  /** Sends raw bytes to the proxy and returns what it answered before closing (or 5 s). */
  private static String exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", plainsight.proxyPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (SocketException closedEarly) {
        // the proxy may close before it read everything: that is a refusal too
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) > 0 && answer.size() < 65536; ) {
          answer.write(buffer, 0, n);
          if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            break;
          }
        }
      } catch (IOException resetOrTimeout) {
        // a reset after the answer is fine
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
