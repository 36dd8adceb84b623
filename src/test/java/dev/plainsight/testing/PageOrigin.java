package dev.plainsight.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain HTTP origin on 127.0.0.1, port 0, with pages worth tampering with: {@code /page} (an
 * HTML page with a length), {@code /streamed-page} (the same, chunked), {@code /headers} (the
 * request's headers back, one {@code name: value} line each, sorted by name), {@code
 * /big-streamed-page} ({@link #BIG_PAGE_BYTES} of HTML, chunked, no length).
 */
public final class PageOrigin implements AutoCloseable {
  public static final String PAGE = "<!doctype html>\n<html><head><title>Plain</title></head>"
      + "<body><h1>A plain HTTP page</h1><p>Nothing to see.</p></body></html>\n";

  public static final int BIG_PAGE_BYTES = 3 * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  public PageOrigin() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/page", ex -> send(ex, PAGE, false));
    server.createContext("/streamed-page", ex -> send(ex, PAGE, true));
    server.createContext("/big-streamed-page", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bigPage());
      }
    });
    server.createContext("/headers", ex -> {
      Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      sorted.putAll(ex.getRequestHeaders());
      StringBuilder text = new StringBuilder();
      sorted.forEach((name, values) -> values.forEach(v -> text.append(name.toLowerCase())
          .append(": ").append(v).append('\n')));
      ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
      byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(pool);
    server.start();
  }

  /** The body of {@code /big-streamed-page}: a page with {@code <body>} at its start. */
  public static byte[] bigPage() {
    byte[] page = new byte[BIG_PAGE_BYTES];
    byte[] start = "<html><body>".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(start, 0, page, 0, start.length);
    for (int i = start.length; i < page.length; i++) {
      page[i] = (byte) (i % 64 == 63 ? '\n' : 'a' + i % 26);
    }
    return page;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static void send(HttpExchange ex, String html, boolean chunked) throws IOException {
    ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(200, chunked ? 0 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
