package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plainsight.Options;
import dev.plainsight.capture.CaptureMode;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --capture OFF} (used to measure what capture costs) still forwards and intercepts: a new
 * server connection with a request body right behind the head, then the same connections kept
 * alive for two more requests; nothing is recorded.
 */
class CaptureOffTest {
  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer http;
  static OriginServer https;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Capture Off CA");
    http = OriginServer.http();
    https = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
    plainsight = RunningPlainsight.start(dir,
        Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
        .upstreamCaFiles(List.of(pki.writeCaPem(dir)))
        .captureMode(CaptureMode.OFF).build());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    http.close();
    https.close();
  }

  @Test
  void plainAndInterceptedRequestsAreForwardedAndNothingIsRecorded() throws Exception {
    for (String url : List.of(http.url("/echo?off"), https.url("/echo?off"))) {
      HttpClient client = plainsight.clientTrustingPlainsight();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString("round " + i)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        assertEquals("round " + i, response.body(), url);
      }
    }
    plainsight.app().store().flush();
    assertEquals(0, plainsight.app().store().query(FlowQuery.all()).flows().size());
  }
}
