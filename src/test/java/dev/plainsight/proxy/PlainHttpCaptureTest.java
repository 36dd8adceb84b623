package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.Header;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainHttpCaptureTest {
  @TempDir static Path dir;
  static OriginServer origin;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, null, List.of());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  @Test
  void aFormPostIsCapturedInFullWithThePasswordInClear() throws Exception {
    String url = origin.url("/echo?from=java");
    HttpResponse<String> response = plainsight.client(null).send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", "session=abc123")
        .POST(HttpRequest.BodyPublishers.ofString("user=alice&password=hunter2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("user=alice&password=hunter2", response.body());

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals("POST", flow.method());
    assertEquals(200, flow.status());
    assertEquals("127.0.0.1", flow.host());
    assertEquals(origin.port(), flow.port());
    assertEquals("user=alice&password=hunter2",
        new String(flow.request().body().captured(), StandardCharsets.UTF_8));
    assertEquals("user=alice&password=hunter2",
        new String(flow.response().body().captured(), StandardCharsets.UTF_8));
    assertTrue(flow.request().headers().contains(new Header("Cookie", "session=abc123")),
        "the Cookie header is captured as sent: " + flow.request().headers());
    assertTrue(flow.response().headers().stream()
        .anyMatch(h -> h.name().equalsIgnoreCase("X-Request-Method") && h.value().equals("POST")));
    assertEquals(27, flow.requestBytes());
    assertNull(flow.tls());
    assertTrue(flow.timings().waitMs() != null, "time to first byte is measured");
  }

  @Test
  void curlGetIsCapturedWithResponseCookie() throws Exception {
    String url = origin.url("/set-cookie");
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), url);
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("cookie set\n", result.stdout());

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals("GET", flow.method());
    assertTrue(flow.response().headers().stream().anyMatch(h ->
        h.name().equalsIgnoreCase("Set-Cookie") && h.value().startsWith("session=s3cr3t")));
    assertTrue(flow.request().headers().stream().anyMatch(h ->
        h.name().equalsIgnoreCase("User-Agent") && h.value().startsWith("curl/")));
  }

  @Test
  void aDeadUpstreamIsAnErrorFlowAndAnExplained502() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/nothing-here";
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), url);
    assertTrue(result.stdout().contains("could not connect to 127.0.0.1:" + closedPort),
        result.stdout());

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertTrue(flow.error().contains("could not connect"), flow.error());
  }

  @Test
  void theProxyRefusesToForwardToItself() throws Exception {
    String url = "http://127.0.0.1:" + plainsight.proxyPort() + "/";
    Curl.Result toProxy = Curl.run("-s", "-o", "/dev/null", "-w", "%{http_code}", "-x",
        plainsight.proxyUrl(), url);
    assertEquals("403", toProxy.stdout());

    String dashboard = "http://127.0.0.1:" + plainsight.app().dashboardPort() + "/api/flows";
    Curl.Result toDashboard = Curl.run("-s", "-x", plainsight.proxyUrl(), dashboard);
    assertTrue(toDashboard.stdout().contains("never reachable through the proxy"),
        toDashboard.stdout());
    Flow flow = plainsight.awaitFlow(f -> dashboard.equals(f.url()));
    assertEquals(FlowKind.ERROR, flow.kind());
  }
}
