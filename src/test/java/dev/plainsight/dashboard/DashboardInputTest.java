package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.StderrCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the dashboard does with input it cannot use, on a real Plainsight: a body that is not JSON
 * on a JSON route, a HEAD on a page, a page size past the maximum, bodies in stacked or unknown
 * content codings.
 */
class DashboardInputTest {
  @TempDir static Path dir;
  static OriginServer origin;
  static HttpServer coded;
  static RunningPlainsight plainsight;
  static DashboardClient dashboard;
  static final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .build();

  @BeforeAll
  static void start() throws Exception {
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, null, List.of());
    dashboard = new DashboardClient(plainsight.app().dashboardPort(), plainsight.app().token());
    byte[] text = "stacked codings undone\n".repeat(50).getBytes(StandardCharsets.UTF_8);
    coded = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    coded.createContext("/gzip-gzip", ex -> send(ex, gzip(gzip(text)), "gzip, gzip"));
    coded.createContext("/deflate-gzip", ex -> send(ex, gzip(deflate(text)), "deflate, gzip"));
    coded.createContext("/cut", ex -> send(ex, java.util.Arrays.copyOf(gzip(text), 30), "gzip"));
    coded.createContext("/zstd", ex -> send(ex, text, "zstd"));
    coded.createContext("/garbage", ex -> send(ex, text, "gzip"));
    coded.start();
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
    coded.stop(0);
  }

  private static HttpResponse<String> call(String method, String path, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(dashboard.base() + path))
        .header("Authorization", "Bearer " + dashboard.token())
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBodyThatIsNotJsonIsA400WithOneLineOnEveryJsonRoute() throws Exception {
    String url = origin.url("/hello?json=1");
    assertEquals(0, Curl.run("-s", "-x", plainsight.proxyUrl(), url).exitCode());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()) && f.status() != null);
    String session = plainsight.app().sessions().currentId();
    String[][] routes = {
        {"PUT", "/api/policy"}, {"PUT", "/api/rules"}, {"POST", "/api/sessions"},
        {"PATCH", "/api/sessions/" + session}, {"POST", "/api/flows/" + flow.id() + "/replay"}};
    try (StderrCapture log = StderrCapture.start()) {
      for (String[] route : routes) {
        for (String body : new String[] {"not json", "{\"unclosed\": ", "[1, 2]"}) {
          HttpResponse<String> answer = call(route[0], route[1], body);
          String what = route[0] + " " + route[1] + " " + body + ": " + answer.body();
          assertEquals(400, answer.statusCode(), what);
          assertFalse(answer.body().strip().contains("\n"), "one line: " + what);
        }
      }
      assertFalse(log.text().contains("\tat "), "no stack trace in the log: " + log.text());
    }
  }

  @Test
  void headOnAPageAnswersAsGetWouldWithoutTheBody() {
    for (String path : new String[] {"/", "/index.html", "/js/api.js", "/ca", "/proxy.pac"}) {
      DashboardClient.RawResponse get = dashboard.raw("GET " + path + " HTTP/1.1",
          "Host: 127.0.0.1:" + plainsight.app().dashboardPort());
      DashboardClient.RawResponse head = dashboard.raw("HEAD " + path + " HTTP/1.1",
          "Host: 127.0.0.1:" + plainsight.app().dashboardPort());
      assertEquals(get.status(), head.status(), path);
      assertEquals(get.headers().get("content-type"), head.headers().get("content-type"), path);
      assertEquals(0, head.body().length, path);
    }
    DashboardClient.RawResponse missing = dashboard.raw("HEAD /no-such-page.html HTTP/1.1",
        "Host: 127.0.0.1:" + plainsight.app().dashboardPort());
    assertEquals(404, missing.status());
  }

  @Test
  void thePageSizeOfTheFlowListHasAMaximum() throws Exception {
    for (int i = 0; i < 3; i++) {
      Curl.run("-s", "-x", plainsight.proxyUrl(), origin.url("/hello?page=" + i));
    }
    assertTrue(dashboard.json("/api/flows?limit=100000000").get("flows").size() <= 1000);
    assertEquals(1, dashboard.json("/api/flows?limit=-1").get("flows").size());
  }

  @Test
  void stackedCodingsAreUndoneInOrderAndABadOneIsNamed() throws Exception {
    String expected = "stacked codings undone\n".repeat(50);
    for (String path : new String[] {"/gzip-gzip", "/deflate-gzip"}) {
      assertEquals(expected, decoded(path).body(), path);
    }
    HttpResponse<String> cut = decoded("/cut");
    assertEquals(200, cut.statusCode(), cut.body());
    HttpResponse<String> unknown = decoded("/zstd");
    assertEquals(422, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().contains("zstd"), unknown.body());
    HttpResponse<String> garbage = decoded("/garbage");
    assertEquals(422, garbage.statusCode(), garbage.body());
  }

  private HttpResponse<String> decoded(String path) throws Exception {
    String url = "http://127.0.0.1:" + coded.getAddress().getPort() + path;
    Curl.run("-s", "-x", plainsight.proxyUrl(), "-o", "/dev/null", url);
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()) && f.status() != null);
    return http.send(HttpRequest.newBuilder(URI.create(dashboard.base() + "/api/flows/"
            + flow.id() + "/response/body?decoded=true"))
        .header("Authorization", "Bearer " + dashboard.token()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void send(com.sun.net.httpserver.HttpExchange ex, byte[] body, String coding)
      throws java.io.IOException {
    ex.getResponseHeaders().add("Content-Encoding", coding);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] gzip(byte[] bytes) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] bytes) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater())) {
      deflate.write(bytes);
    }
    return out.toByteArray();
  }
}
