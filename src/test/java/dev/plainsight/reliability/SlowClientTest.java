package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.NettyLeaks;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-head timeout (here 1 s; --header-timeout, 20 s by default): a client trickling its
 * head a byte at a time (slowloris) is answered 408 and closed while everyone else is served; a
 * slow body, a connection idle between requests and a tunnel are never cut by it. Netty's leak
 * detector runs at PARANOID over the class.
 */
class SlowClientTest {
  static final int HEAD_TIMEOUT = 1;

  @TempDir static Path dir;
  static NettyLeaks leaks;
  static TestPki pki;
  static OriginServer http;
  static OriginServer https;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    leaks = NettyLeaks.start();
    pki = TestPki.create("Slow CA");
    http = OriginServer.http();
    https = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
    plainsight = RunningPlainsight.start(dir,
        Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
        .passthrough(List.of("localhost"))
        .upstreamCaFiles(List.of(pki.writeCaPem(dir)))
        .headTimeoutSeconds(HEAD_TIMEOUT).build());
  }

  @AfterAll
  static void noBufferLeakedAndStop() throws Exception {
    try (NettyLeaks watching = leaks) {
      assertEquals(List.of(), watching.reports(), "Netty's leak detector (PARANOID)");
    } finally {
      plainsight.close();
      http.close();
      https.close();
    }
  }

  @Test
  void aClientTricklingItsHeadGets408AfterTheTimeoutWhileOthersAreServed() throws Exception {
    try (RawProxyClient slow = RawProxyClient.plain(plainsight.proxyPort())) {
      long start = System.nanoTime();
      slow.send("GET " + http.url("/hello?slowloris") + " HTTP/1.1\r\n");
      CompletableFuture<Void> trickle = trickle(slow, "Host: 127.0.0.1\r\nX-Slow: "
          + "a".repeat(50) + "\r\n\r\n");
      for (int i = 0; i < 3; i++) {
        assertEquals("hello from the origin\n", Curl.run("-s", "-x", plainsight.proxyUrl(),
            http.url("/hello?meanwhile=" + i)).stdout());
      }
      String answer = readAll(slow.in());
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      trickle.cancel(true);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(tookMs >= HEAD_TIMEOUT * 1000 && tookMs < 8000, tookMs + " ms");
      Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.url() != null
          && f.url().endsWith("/hello?slowloris"));
      assertEquals("request head not complete within 1 s (slow client)", flow.error());
      assertEquals("GET", flow.method());
      Thread.sleep(200);
      assertTrue(plainsight.app().store().query(dev.plainsight.flow.FlowQuery.all()).flows()
          .stream().noneMatch(f -> f.error() != null && f.error().startsWith("malformed")),
          "the cut head is not recorded a second time as a malformed request");
    }
  }

  @Test
  void anInterceptedClientTricklingItsDecryptedHeadIsClosedToo() throws Exception {
    SSLContext trust = RunningPlainsight.trusting(plainsight.app().ca().certificate());
    try (RawProxyClient slow = RawProxyClient.intercepted(plainsight.proxyPort(), https.port(),
        trust)) {
      slow.send("GET /hello?slow-inside-tls HTTP/1.1\r\n");
      trickle(slow, "Host: 127.0.0.1\r\nX-Slow: " + "a".repeat(50) + "\r\n\r\n");
      assertTrue(readAll(slow.in()).startsWith("HTTP/1.1 408"));
    }
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.url() != null
        && f.url().equals(https.url("/hello?slow-inside-tls")));
    assertTrue(flow.error().contains("slow client"), flow.error());
  }

  @Test
  void aSlowButCompleteUploadIsNotCut() throws Exception {
    String body = "0123456789".repeat(3);
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send("POST " + http.url("/echo?slow-upload") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n");
      for (char c : body.toCharArray()) {
        Thread.sleep(100);
        client.send(String.valueOf(c));
      }
      String head = client.readHead();
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      ByteArrayOutputStream echoed = new ByteArrayOutputStream();
      client.readBody(head, (offset, data, n) -> echoed.write(data, 0, n));
      assertEquals(body, echoed.toString(StandardCharsets.US_ASCII));
    }
    Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().endsWith("slow-upload"));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals(30, flow.requestBytes());
  }

  @Test
  void aConnectionIdleBetweenRequestsIsNotCut() throws Exception {
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      for (int i = 0; i < 2; i++) {
        client.send("GET " + http.url("/hello?idle-between=" + i)
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        String head = client.readHead();
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        client.readBody(head, (offset, data, n) -> { });
        if (i == 0) {
          Thread.sleep(HEAD_TIMEOUT * 1000 + 1000);
        }
      }
    }
  }

  @Test
  void aTunnelIsNeverTimed() throws Exception {
    try (RawProxyClient tunnel = RawProxyClient.tls(plainsight.proxyPort(), "localhost",
        https.port(), pki.clientContextTrusting())) {
      trickle(tunnel, "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Slow: "
          + "a".repeat(10) + "\r\n\r\n").get(10, TimeUnit.SECONDS);
      assertTrue(readAll(tunnel.in()).startsWith("HTTP/1.1 200"));
    }
  }

  /** Sends {@code text} one byte every 30 ms from another thread. */
  private static CompletableFuture<Void> trickle(RawProxyClient client, String text) {
    return CompletableFuture.runAsync(() -> {
      try {
        for (char c : text.toCharArray()) {
          client.send(String.valueOf(c));
          Thread.sleep(30);
        }
      } catch (IOException | InterruptedException closed) {
        // the proxy closed the connection: that is the point
      }
    });
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // closed after the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
