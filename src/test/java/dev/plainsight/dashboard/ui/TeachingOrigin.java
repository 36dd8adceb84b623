package dev.plainsight.dashboard.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import javax.net.ssl.SSLContext;

/**
 * A small web site to teach with, on 127.0.0.1 port 0, plain or HTTPS: {@code /login} (POST a
 * form, get a session cookie and JSON), {@code /profile.json}, {@code /gzip.json} (gzip on the
 * wire), {@code /pixel.png} (a 4×4 PNG), {@code /binary} (bytes 0..255), {@code /big.txt}
 * ({@link #BIG_SIZE} bytes of text) and {@code /hello}.
 */
final class TeachingOrigin implements AutoCloseable {
  static final String PROFILE_JSON = "{\"name\":\"Alice Example\",\"email\":\"alice@example.test\","
      + "\"roles\":[\"student\",\"admin\"],\"age\":31,\"verified\":true,\"manager\":null}";
  static final int BIG_SIZE = 2 * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final String scheme;

  private TeachingOrigin(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/login", ex -> {
      byte[] form = ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().add("Set-Cookie", "session=s3cr3t-" + form.length + "; Path=/; HttpOnly");
      send(ex, "application/json", "{\"welcome\":\"alice\",\"token\":\"tok-123\"}".getBytes(StandardCharsets.UTF_8));
    });
    server.createContext("/profile.json", ex -> send(ex, "application/json",
        PROFILE_JSON.getBytes(StandardCharsets.UTF_8)));
    server.createContext("/gzip.json", ex -> {
      ex.getResponseHeaders().add("Content-Encoding", "gzip");
      send(ex, "application/json", gzip(PROFILE_JSON.repeat(1).getBytes(StandardCharsets.UTF_8)));
    });
    server.createContext("/pixel.png", ex -> send(ex, "image/png", png()));
    server.createContext("/binary", ex -> {
      byte[] bytes = new byte[256];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) i;
      }
      send(ex, "application/octet-stream", bytes);
    });
    server.createContext("/big.txt", ex -> {
      byte[] line = "all work and no play makes a big body\n".getBytes(StandardCharsets.US_ASCII);
      byte[] big = new byte[BIG_SIZE];
      for (int i = 0; i < big.length; i++) {
        big[i] = line[i % line.length];
      }
      send(ex, "text/plain", big);
    });
    server.createContext("/", ex -> send(ex, "text/plain", "hello from the teaching origin\n"
        .getBytes(StandardCharsets.UTF_8)));
    server.setExecutor(pool);
    server.start();
  }

  static TeachingOrigin http() {
    try {
      return new TeachingOrigin(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50), "http");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TeachingOrigin https(SSLContext context) {
    try {
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
      server.setHttpsConfigurator(new HttpsConfigurator(context));
      return new TeachingOrigin(server, "https");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return scheme + "://127.0.0.1:" + port() + path;
  }

  String url(String host, String path) {
    return scheme + "://" + host + ":" + port() + path;
  }

  private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
    ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static byte[] png() {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 4; x++) {
      for (int y = 0; y < 4; y++) {
        image.setRGB(x, y, (x + y) % 2 == 0 ? Color.ORANGE.getRGB() : Color.BLUE.getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
