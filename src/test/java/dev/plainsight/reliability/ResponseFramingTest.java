package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.NettyLeaks;
import dev.plainsight.testing.RawOrigin;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile origin whose response framing is ambiguous: the client never gets it as a clean,
 * complete response. Netty's response decoder refuses Content-Length with Transfer-Encoding (502);
 * a bad chunk size is cut off (it used to reach the client as an empty, complete body, recorded as
 * a normal 200). Other oddities are re-framed consistently by the proxy, never passed as sent.
 */
class ResponseFramingTest {
  @TempDir static Path dir;
  static NettyLeaks leaks;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    leaks = NettyLeaks.start();
    plainsight = RunningPlainsight.start(dir, null, List.of());
  }

  @AfterAll
  static void noBufferLeakedAndStop() throws Exception {
    try (NettyLeaks watching = leaks) {
      assertEquals(List.of(), watching.reports(), "Netty's leak detector (PARANOID)");
    } finally {
      plainsight.close();
    }
  }

  @Test
  void aBadChunkSizeFromTheServerCutsTheResponseOff() throws Exception {
    String got = through("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "ZZZ\r\nhello\r\n0\r\n\r\n", "/bad-chunk");
    assertTrue(got.startsWith("HTTP/1.1 200"), got);
    assertTrue(got.endsWith("\n<closed>"), got);
    assertFalse(got.contains("\r\n0\r\n\r\n"), "no clean end of the body: " + got);
    Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().endsWith("/bad-chunk"));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertEquals(200, flow.status());
    assertTrue(flow.error().contains("sent a malformed body"), flow.error());
  }

  @Test
  void contentLengthWithTransferEncodingFromTheServerIsAnExplained502() throws Exception {
    String got = through("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
        + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "/te-and-cl");
    assertTrue(got.startsWith("HTTP/1.1 502"), got);
    Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().endsWith("/te-and-cl"));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertTrue(flow.error().contains("not valid HTTP"), flow.error());
  }

  @Test
  void anUnknownCodingWithALengthIsReframedByTheLength() throws Exception {
    String got = through("HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5"
        + "\r\n\r\nhello", "/xchunked");
    assertTrue(got.startsWith("HTTP/1.1 200"), got);
    assertTrue(got.toLowerCase().contains("\r\ntransfer-encoding: chunked\r\n"), got);
    assertTrue(got.contains("\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), got);
  }

  /** What a client gets for a GET of {@code path} from an origin that answers {@code response}. */
  private static String through(String response, String path) throws Exception {
    try (RawOrigin origin = RawOrigin.answering(response);
        RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.socket().setSoTimeout(5000);
      client.send("GET " + origin.url(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n");
      return RequestFramingTest.readToClose(client.in());
    }
  }
}
