package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store at its --max-data-size with only the current session pauses capture, not traffic. */
class StoreFullPauseTest {
  @TempDir Path dir;

  @Test
  void aFullStorePausesCaptureWithANoticeAndTrafficStillFlows() throws Exception {
    try (OriginServer origin = OriginServer.http();
        RunningPlainsight plainsight = RunningPlainsight.start(dir,
            Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
            .maxDataSize(4096).maxSessions(0).build())) {
      HttpClient client = HttpClient.newBuilder()
          .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", plainsight.proxyPort())))
          .build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      RunningPlainsight.ApiResponse stats = plainsight.api("/api/stats");
      while (stats.json().path("paused").isNull() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        stats = plainsight.api("/api/stats");
      }
      assertTrue(stats.json().path("paused").asText().contains("--max-data-size"),
          "the notice names the limit: " + stats.text());

      for (int i = 0; i < 5; i++) {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create(origin.url("/hello?paused=" + i))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "traffic goes on while capture is paused");
        assertEquals("hello from the origin\n", response.body());
      }
      plainsight.app().store().flush();
      stats = plainsight.api("/api/stats");
      assertTrue(stats.json().path("notCaptured").asLong() >= 5, stats.text());
      assertEquals(0, stats.json().path("dropped").asLong(), stats.text());
    }
  }
}
