package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.plainsight.Main;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard at the heap we recommend for a room: a real Plainsight in a child JVM with
 * {@code -Xmx96m}, fed a gzip bomb through its proxy and a HAR with millions of headers, must
 * answer each request within its bounds (the capped body, or a 4xx naming the limit) and keep
 * serving, never run out of memory.
 */
class RoomHeapTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ZEROS = 64 * 1024 * 1024;
  private static final int DECODED_CAP = 16 * 1024 * 1024;

  @TempDir static Path dir;
  static HttpServer origin;
  static Process child;
  static final StringBuffer output = new StringBuffer();
  static int proxyPort;
  static int dashboardPort;
  static String token;
  static byte[] bomb;

  @BeforeAll
  static void start() throws Exception {
    bomb = gzip(ZEROS);
    byte[] nested = gzipBytes(bomb);
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    origin.createContext("/bomb", ex -> send(ex, bomb, "gzip"));
    origin.createContext("/nested", ex -> send(ex, nested, "gzip, gzip"));
    origin.start();
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx96m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--proxy-port", "0", "--dashboard-port", "0",
        "--ca-dir", dir.resolve("ca").toString(), "--data-dir", dir.resolve("data").toString());
    child = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    Pattern proxy = Pattern.compile("Proxy: +http://127\\.0\\.0\\.1:(\\d+)");
    Pattern dashboard = Pattern.compile("Dashboard: +http://127\\.0\\.0\\.1:(\\d+)/\\?token=(\\S+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((proxyPort == 0 || token == null) && System.nanoTime() < deadline) {
      String line = out.readLine();
      if (line == null) {
        break;
      }
      output.append(line).append('\n');
      Matcher p = proxy.matcher(line);
      Matcher d = dashboard.matcher(line);
      if (p.find()) {
        proxyPort = Integer.parseInt(p.group(1));
      }
      if (d.find()) {
        dashboardPort = Integer.parseInt(d.group(1));
        token = d.group(2);
      }
    }
    assertTrue(proxyPort > 0 && token != null, "the child printed its addresses: " + output);
    Thread drain = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          output.append(line).append('\n');
        }
      } catch (IOException ignored) {
        // the child is gone
      }
    });
    drain.setDaemon(true);
    drain.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (child != null) {
      child.destroy();
      child.waitFor(10, TimeUnit.SECONDS);
      child.destroyForcibly();
    }
    if (origin != null) {
      origin.stop(0);
    }
  }

  @Test
  void eightParallelDecodedReadsOfAGzipBombAnswerTheCappedBody() throws Exception {
    long bombFlow = capture("/bomb");
    long nestedFlow = capture("/nested");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<InputStream>>> reads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        long id = i % 4 == 3 ? nestedFlow : bombFlow;
        reads.add(pool.submit(() -> dashboard("/api/flows/" + id + "/response/body?decoded=true")));
      }
      for (Future<HttpResponse<InputStream>> read : reads) {
        HttpResponse<InputStream> answer = read.get(120, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), output.toString());
        long zeros = 0;
        long others = 0;
        try (InputStream body = answer.body()) {
          byte[] buffer = new byte[64 * 1024];
          for (int n; (n = body.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
              if (buffer[i] == 0) {
                zeros++;
              } else {
                others++;
              }
            }
          }
        }
        assertEquals(0, others, "decoded zeros only");
        assertEquals(DECODED_CAP, zeros, "the body is decoded up to its cap");
        assertEquals(String.valueOf(DECODED_CAP),
            answer.headers().firstValue("X-Decoded-Limit").orElse(""));
      }
    } finally {
      pool.shutdownNow();
    }
    assertStillServing();
  }

  @Test
  void aHarEntryWithMillionsOfHeadersIsRefusedWhileItStreamsIn() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", dashboardPort)) {
      socket.setSoTimeout(120_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/sessions/import?name=huge HTTP/1.1\r\nHost: 127.0.0.1:"
          + dashboardPort + "\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          chunk(out, "{\"log\":{\"version\":\"1.2\",\"entries\":[{\"request\":{\"method\":\"GET\","
              + "\"url\":\"http://example.test/\",\"headers\":[");
          StringBuilder batch = new StringBuilder();
          for (int i = 0; i < 9_000_000; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"name\":\"x-h\",\"value\":\"v\"}");
            if (batch.length() > 60_000) {
              chunk(out, batch.toString());
              batch.setLength(0);
            }
          }
          chunk(out, batch + "]}}]}}");
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException refusedMidway) {
          // the server answered and closed before the upload ended: what we expect
        }
      });
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      upload.cancel(true);
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer + "\n" + output);
      assertTrue(answer.contains("request.headers has more than 1000 headers"), answer);
    }
    assertStillServing();
    JsonNode sessions = JSON.readTree(dashboard("/api/sessions").body().readAllBytes());
    sessions.forEach(s -> assertFalse(s.get("name").asText().equals("huge"),
        "the refused import leaves no session"));
  }

  private static void assertStillServing() throws Exception {
    HttpResponse<InputStream> stats = dashboard("/api/stats");
    assertEquals(200, stats.statusCode());
    stats.body().close();
    assertTrue(child.isAlive(), output.toString());
    assertFalse(output.toString().contains("OutOfMemoryError"), output.toString());
  }

  private static long capture(String path) throws Exception {
    String url = "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    HttpResponse<byte[]> sent = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort))).build()
        .send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, sent.statusCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonNode page = JSON.readTree(dashboard("/api/flows?limit=50").body().readAllBytes());
      for (JsonNode flow : page.get("flows")) {
        if (url.equals(flow.get("url").asText()) && !flow.get("status").isNull()) {
          return flow.get("id").asLong();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no flow for " + url);
  }

  private static HttpResponse<InputStream> dashboard(String path) throws Exception {
    return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboardPort + path))
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static void send(com.sun.net.httpserver.HttpExchange ex, byte[] body, String coding)
      throws IOException {
    ex.getResponseHeaders().add("Content-Encoding", coding);
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] gzip(int zeros) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      byte[] block = new byte[1 << 20];
      for (int written = 0; written < zeros; written += block.length) {
        gzip.write(block);
      }
    }
    return out.toByteArray();
  }

  private static byte[] gzipBytes(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }
}
