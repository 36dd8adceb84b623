package dev.plainsight.proxy.littleproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RequestFraming} on plain byte arrays: each rule, and what must keep passing. */
class RequestFramingRulesTest {
  private static final String POST = "POST http://o/x HTTP/1.1\r\nHost: o\r\n";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "two TE fields|Transfer-Encoding: chunked\\r\\nTransfer-Encoding: identity\\r\\n\\r\\n0\\r\\n\\r\\n|Transfer-Encoding must be",
      "xchunked and CL|Transfer-Encoding: xchunked\\r\\nContent-Length: 5\\r\\n\\r\\nhello|both Transfer-Encoding and Content-Length",
      "folded TE and CL|Transfer-Encoding:\\r\\n chunked\\r\\nContent-Length: 5\\r\\n\\r\\nhello|obs-fold",
      "identity, chunked|Transfer-Encoding: identity, chunked\\r\\n\\r\\n0\\r\\n\\r\\n|Transfer-Encoding must be",
      "chunked, gzip|Transfer-Encoding: chunked, gzip\\r\\n\\r\\n0\\r\\n\\r\\n|Transfer-Encoding must be",
      "chunked twice|Transfer-Encoding: chunked, chunked\\r\\n\\r\\n0\\r\\n\\r\\n|Transfer-Encoding must be",
      "chunked with a parameter|Transfer-Encoding: chunked;q=1\\r\\n\\r\\n0\\r\\n\\r\\n|Transfer-Encoding must be",
      "empty TE|Transfer-Encoding: \\r\\n\\r\\n|Transfer-Encoding must be",
      "fold in any header|X-A: 1\\r\\n\\t2\\r\\n\\r\\n|obs-fold",
      "empty header name|: x\\r\\n\\r\\n|invalid header name",
      "space before colon|Content-Length : 5\\r\\n\\r\\nhello|whitespace before a header's colon",
      "bare LF after a header|X-A: 1\\n\\r\\n|header line not ended by CRLF",
      "bare CR in a value|X-A: 1\\r2\\r\\n\\r\\n|control character",
      "NUL in a value|X-A: 1\\u00002\\r\\n\\r\\n|control character",
      "two CL|Content-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\nhello|more than one Content-Length",
      "CL list|Content-Length: 5, 5\\r\\n\\r\\nhello|Content-Length is not",
      "CL with a sign|Content-Length: +5\\r\\n\\r\\nhello|Content-Length is not",
      "CL past 10^18|Content-Length: 1000000000000000000\\r\\n\\r\\n|Content-Length is not",
      "ZZZ|Transfer-Encoding: chunked\\r\\n\\r\\nZZZ\\r\\nhello\\r\\n0\\r\\n\\r\\n|bad chunk size",
      "-5|Transfer-Encoding: chunked\\r\\n\\r\\n-5\\r\\nhello\\r\\n0\\r\\n\\r\\n|bad chunk size",
      "0x3|Transfer-Encoding: chunked\\r\\n\\r\\n0x3\\r\\nabc\\r\\n0\\r\\n\\r\\n|bad chunk size",
      "space first|Transfer-Encoding: chunked\\r\\n\\r\\n 3\\r\\nabc\\r\\n0\\r\\n\\r\\n|bad chunk size",
      "space after, no extension|Transfer-Encoding: chunked\\r\\n\\r\\n3 \\r\\nabc\\r\\n0\\r\\n\\r\\n|bad chunk size",
      "past 2^63|Transfer-Encoding: chunked\\r\\n\\r\\n10000000000000000\\r\\n|chunk size too large",
      "past 2^31-1|Transfer-Encoding: chunked\\r\\n\\r\\n80000000\\r\\n|chunk size too large",
      "text after a quoted extension|Transfer-Encoding: chunked\\r\\n\\r\\n3;a=\\qb\\qc\\r\\nabc\\r\\n0\\r\\n\\r\\n|bad chunk extension",
      "obs-text in a quoted extension (Netty fails there)|Transfer-Encoding: chunked\\r\\n\\r\\n3;a=\\qb\u0080\\q\\r\\nabc\\r\\n0\\r\\n\\r\\n|bad chunk extension",
      "extension without a name|Transfer-Encoding: chunked\\r\\n\\r\\n3;=b\\r\\nabc\\r\\n0\\r\\n\\r\\n|bad chunk extension",
      "LF-only chunk line|Transfer-Encoding: chunked\\r\\n\\r\\n3\\nabc\\r\\n0\\r\\n\\r\\n|chunk size line not ended by CRLF",
      "data longer than its size|Transfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nabcd\\r\\n0\\r\\n\\r\\n|chunk data not followed by CRLF",
      "fold in a trailer|Transfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nX-T: 1\\r\\n 2\\r\\n\\r\\n|obs-fold",
      "hixie-76 keys|Sec-WebSocket-Key1: 1\\r\\nSec-WebSocket-Key2: 2\\r\\n\\r\\n|hixie-76",
  })
  void ambiguousFramingIsRefused(String name, String rest, String reason) {
    RequestFraming framing = new RequestFraming();
    byte[] bytes = bytes(POST + unescape(rest));
    assertEquals(0, framing.feed(bytes), name);
    assertNotNull(framing.failure(), name);
    assertTrue(framing.failure().contains(reason), framing.failure());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "TE in HTTP/1.0|POST /x HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|HTTP/1.0",
      "HTTP/1.2|GET /x HTTP/1.2\\r\\n\\r\\n|unsupported HTTP version",
      "two spaces|GET  /x HTTP/1.1\\r\\n\\r\\n|bad request line",
      "TLS instead of HTTP|\\u0016\\u0003\\u0001garbage\\r\\n\\r\\n|bad request line",
      "bare LF request line|GET /x HTTP/1.1\\n\\r\\n|request line not ended by CRLF",
  })
  void badRequestLinesAreRefused(String name, String request, String reason) {
    RequestFraming framing = new RequestFraming();
    framing.feed(bytes(unescape(request)));
    assertNotNull(framing.failure(), name);
    assertTrue(framing.failure().contains(reason), framing.failure());
  }

  @Test
  void wellFramedRequestsPassWhole() {
    String stream = "\r\nGET http://o/a HTTP/1.1\r\nHost: o\r\nX-Empty:\r\nX-High: caf\u00e9\r\n\r\n"
        + POST + "Content-Length: 5\r\n\r\nhello"
        + POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n"
        + "5;a=b\r\nhello\r\nA ; q=\"x y\"\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
        + "GET /b HTTP/1.0\r\nContent-Length: 0\r\n\r\n";
    RequestFraming framing = new RequestFraming();
    byte[] bytes = bytes(stream);
    assertEquals(bytes.length, framing.feed(bytes));
    assertNull(framing.failure());
    assertEquals(4, framing.requests());
    assertEquals(20, framing.bodyBytes());
    assertEquals("/b", framing.target());
  }

  @Test
  void anyPieceByPieceFeedingGivesTheSameReading() {
    byte[] bytes = bytes(POST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        + POST + "Content-Length: 3\r\n\r\nabc");
    RequestFraming framing = new RequestFraming();
    for (byte b : bytes) {
      assertEquals(1, framing.feed(new byte[] {b}));
    }
    assertEquals(2, framing.requests());
    assertEquals(8, framing.bodyBytes());
  }

  @Test
  void aConnectPausesReadingUntilResumed() {
    RequestFraming framing = new RequestFraming();
    String connect = "CONNECT o:443 HTTP/1.1\r\nHost: o:443\r\n\r\n";
    byte[] bytes = bytes(connect + "\u0016\u0003\u0001 not http");
    assertEquals(connect.length(), framing.feed(bytes));
    assertTrue(framing.paused());
    assertNull(framing.failure());
    framing.resume();
    assertFalse(framing.paused());
    assertEquals(0, framing.feed(bytes("\u0016\u0003\u0001 not http\r\n")));
    assertNotNull(framing.failure());
  }

  @Test
  void anUpgradeRequestPausesAtItsEnd() {
    RequestFraming framing = new RequestFraming();
    String upgrade = "GET /ws HTTP/1.1\r\nHost: o\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    assertEquals(upgrade.length(), framing.feed(bytes(upgrade + "\u0081\u0085frame")));
    assertTrue(framing.paused());
  }

  @Test
  void overlongLinesAreRefusedWithoutKeepingThem() {
    RequestFraming framing = new RequestFraming();
    framing.feed(bytes("GET /" + "a".repeat(RequestFraming.MAX_LINE) + " HTTP/1.1\r\n"));
    assertTrue(framing.failure().startsWith("request line longer than"), framing.failure());
    RequestFraming chunk = new RequestFraming();
    chunk.feed(bytes(POST + "Transfer-Encoding: chunked\r\n\r\n5;" + "e".repeat(5000)));
    assertTrue(chunk.failure().startsWith("chunk size line longer than"), chunk.failure());
    RequestFraming trailers = new RequestFraming();
    trailers.feed(bytes(POST + "Transfer-Encoding: chunked\r\n\r\n0\r\n"
        + "X-T: 1\r\n".repeat(2000)));
    assertTrue(trailers.failure().startsWith("trailers longer than"), trailers.failure());
  }

  static String unescape(String text) {
    return text.replace("\\q", "\"").replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
        .replace("\\u0000", "\u0000").replace("\\u0016", "\u0016").replace("\\u0003", "\u0003")
        .replace("\\u0001", "\u0001");
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
