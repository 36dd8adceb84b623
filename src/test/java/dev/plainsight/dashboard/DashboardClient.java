package dev.plainsight.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client of one running dashboard, talking to it directly (never through the proxy): the JDK's
 * HttpClient for ordinary requests, and a raw socket for requests the JDK refuses to make (a
 * foreign {@code Host}, a path with {@code ..} in it).
 */
final class DashboardClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder()
      .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();

  DashboardClient(int port, String token) {
    this.port = port;
    this.token = token;
  }

  String token() {
    return token;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** GET with the token as a bearer header; {@code headers} are name/value pairs added to it. */
  HttpResponse<byte[]> get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .timeout(Duration.ofSeconds(10));
    boolean hasAuth = false;
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      hasAuth |= headers[i].equalsIgnoreCase("Authorization") || headers[i].equalsIgnoreCase("Cookie");
    }
    if (!hasAuth) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /** GET with exactly the given headers: no token unless one is passed. */
  HttpResponse<byte[]> getWithout(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  HttpResponse<byte[]> post(String path, String body, boolean withToken) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (withToken) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /** GET {@code path} and parse the JSON body, failing unless the status is 200. */
  JsonNode json(String path) {
    HttpResponse<byte[]> response = get(path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + response.statusCode() + ": " + text(response));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " is not JSON: " + text(response), e);
    }
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What a raw request got back; header names are lower case. */
  record RawResponse(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * Sends {@code requestLine} and {@code headers} (each "Name: value", no CRLF) exactly as given
   * on a new connection, with {@code Connection: close}, and reads the whole answer.
   */
  RawResponse raw(String requestLine, String... headers) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      StringBuilder head = new StringBuilder(requestLine).append("\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return parse(socket.getInputStream().readAllBytes());
    } catch (IOException e) {
      throw new AssertionError(requestLine + " failed: " + e, e);
    }
  }

  private static RawResponse parse(byte[] bytes) throws IOException {
    String all = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (!all.startsWith("HTTP/1.1 ") || end < 0) {
      throw new IOException("not an HTTP response: " + all);
    }
    String[] lines = all.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new RawResponse(Integer.parseInt(lines[0].substring(9, 12)), headers, body);
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < chunked.length) {
      int lineEnd = at;
      while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int size = Integer.parseInt(sizeText, 16);
      if (size == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }
}
