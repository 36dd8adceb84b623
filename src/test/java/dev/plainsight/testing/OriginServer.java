package dev.plainsight.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real origin server on 127.0.0.1, port 0, plain HTTP or HTTPS (the JDK's own server). Routes:
 * {@code /hello} (text), {@code /echo} (the request body back, and its method), {@code
 * /set-cookie}, {@code /gzip} (a gzip'd body as sent: see {@link #GZIP_BODY}), {@code
 * /bytes?n=N} (N bytes of {@link #patternByte} pattern, chunked, streamed).
 */
public final class OriginServer implements AutoCloseable {
  /**
   * Connections the kernel queues before the server accepts them: as deep as a real server's,
   * so that a burst of 1,000 connections through the proxy is not dropped at the origin.
   */
  private static final int BACKLOG = 1024;

  public static final byte[] GZIP_BODY = gzip("hello, compressed world\n".repeat(200));

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final String scheme;

  private OriginServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/hello", ex -> send(ex, 200, "text/plain", "hello from the origin\n"));
    server.createContext("/echo", this::echo);
    server.createContext("/set-cookie", ex -> {
      ex.getResponseHeaders().add("Set-Cookie", "session=s3cr3t; Path=/; HttpOnly");
      send(ex, 200, "text/plain", "cookie set\n");
    });
    server.createContext("/gzip", ex -> {
      ex.getResponseHeaders().add("Content-Encoding", "gzip");
      ex.getResponseHeaders().add("Content-Type", "text/plain");
      ex.sendResponseHeaders(200, GZIP_BODY.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(GZIP_BODY);
      }
    });
    server.createContext("/bytes", this::bytes);
    server.setExecutor(pool);
    server.start();
  }

  public static OriginServer http() {
    try {
      return new OriginServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG),
          "http");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static OriginServer https(SSLContext context) {
    try {
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
      server.setHttpsConfigurator(new HttpsConfigurator(context));
      return new OriginServer(server, "https");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HTTPS origin that speaks only TLS 1.2, so its certificate travels in clear. */
  public static OriginServer httpsTls12Only(SSLContext context) {
    try {
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
      server.setHttpsConfigurator(new HttpsConfigurator(context) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters tls12 = context.getDefaultSSLParameters();
          tls12.setProtocols(new String[] {"TLSv1.2"});
          params.setSSLParameters(tls12);
        }
      });
      return new OriginServer(server, "https");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The absolute URL of a path on this server, by IP literal. */
  public String url(String path) {
    return scheme + "://127.0.0.1:" + port() + path;
  }

  public static byte patternByte(long index) {
    return (byte) ((index * 31 + 7) % 251);
  }

  private void echo(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().add("X-Request-Method", ex.getRequestMethod());
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private void bytes(HttpExchange ex) throws IOException {
    long n = Long.parseLong(ex.getRequestURI().getQuery().replace("n=", ""));
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, 0);
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = ex.getResponseBody()) {
      long sent = 0;
      while (sent < n) {
        int len = (int) Math.min(block.length, n - sent);
        for (int i = 0; i < len; i++) {
          block[i] = patternByte(sent + i);
        }
        out.write(block, 0, len);
        sent += len;
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, String text)
      throws IOException {
    drain(ex.getRequestBody());
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
