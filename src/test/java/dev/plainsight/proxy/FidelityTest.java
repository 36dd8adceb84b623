package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What passes through the proxy arrives exactly as the origin sent it; the capture is bounded. */
class FidelityTest {
  static final long HUNDRED_MIB = 100L * 1024 * 1024;
  static final int CAPTURE_LIMIT = 1024 * 1024;

  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer http;
  static OriginServer https;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Fidelity CA");
    http = OriginServer.http();
    https = OriginServer.https(pki.issue("127.0.0.1").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of(), CAPTURE_LIMIT);
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    http.close();
    https.close();
  }

  @Test
  void aHundredMebibyteDownloadOverPlainHttpIsByteIdenticalAndOnlyItsFirstMebibyteIsKept()
      throws Exception {
    downloadAndCheck(plainsight.client(null), http.url("/bytes?n=" + HUNDRED_MIB), FlowKind.HTTP);
  }

  @Test
  void aHundredMebibyteDownloadThroughInterceptionIsByteIdentical() throws Exception {
    downloadAndCheck(plainsight.clientTrustingPlainsight(), https.url("/bytes?n=" + HUNDRED_MIB),
        FlowKind.HTTPS_DECRYPTED);
  }

  private static void downloadAndCheck(HttpClient client, String url, FlowKind kind)
      throws Exception {
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long count = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = body.read(buffer)) > 0; count += n) {
        received.update(buffer, 0, n);
      }
    }
    assertEquals(HUNDRED_MIB, count);
    assertArrayEquals(expectedDigest(HUNDRED_MIB), received.digest(), "checksum of the pattern");

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(kind, flow.kind());
    assertEquals(HUNDRED_MIB, flow.responseBytes());
    assertEquals(HUNDRED_MIB, flow.response().body().size());
    assertEquals(CAPTURE_LIMIT, flow.response().body().captured().length);
    assertTrue(flow.response().body().truncated());
  }

  @Test
  void aGzipResponseReachesTheClientStillGzippedAndByteIdentical() throws Exception {
    String url = http.url("/gzip");
    HttpResponse<byte[]> response = plainsight.client(null).send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null));
    assertArrayEquals(OriginServer.GZIP_BODY, response.body());
    assertEquals(String.valueOf(OriginServer.GZIP_BODY.length),
        response.headers().firstValue("Content-Length").orElse(null));

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertArrayEquals(OriginServer.GZIP_BODY, flow.response().body().captured(),
        "the capture keeps the bytes as sent; decoding is only for display");
  }

  @Test
  void expectContinueIsPassedOnAndTheFinalResponseIsCaptured() throws Exception {
    String url = http.url("/echo?expect");
    HttpResponse<String> response = plainsight.client(null).send(
        HttpRequest.newBuilder(URI.create(url)).expectContinue(true)
            .POST(HttpRequest.BodyPublishers.ofString("after the 100")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("after the 100", response.body());

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(200, flow.status());
    assertEquals("after the 100",
        new String(flow.response().body().captured(), StandardCharsets.UTF_8));
  }

  @Test
  void keepAliveRequestsOnOneConnectionAreEachCaptured() throws Exception {
    HttpClient client = plainsight.client(null);
    for (int i = 0; i < 5; i++) {
      String url = http.url("/hello?keepalive=" + i);
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("hello from the origin\n", response.body());
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertFalse(flow.response().body().truncated());
    }
  }

  private static byte[] expectedDigest(long size) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[64 * 1024];
    for (long sent = 0; sent < size; ) {
      int len = (int) Math.min(block.length, size - sent);
      for (int i = 0; i < len; i++) {
        block[i] = OriginServer.patternByte(sent + i);
      }
      digest.update(block, 0, len);
      sent += len;
    }
    return digest.digest();
  }
}
