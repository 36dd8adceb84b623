package dev.plainsight.store;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.CapturedResponse;
import dev.plainsight.flow.CertificateSummary;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.Timings;
import dev.plainsight.flow.TlsSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Fixture factory: realistic flows for the store's tests. */
final class Flows {
  static final Instant T0 = Instant.parse("2026-03-02T09:15:30.123456789Z");

  private Flows() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A decrypted HTTPS exchange with every field of the record set. */
  static Flow fullHttps(String session) {
    CertificateSummary leaf = new CertificateSummary("CN=shop.example", "CN=Plainsight Root CA",
        List.of("shop.example", "www.shop.example"), T0.minusSeconds(3600),
        T0.plusSeconds(86400 * 30), "ab:cd:ef:01");
    CertificateSummary upstream = new CertificateSummary("CN=shop.example", "CN=Real CA",
        List.of("shop.example"), T0.minusSeconds(86400), T0.plusSeconds(86400 * 90), "12:34");
    TlsSummary tls = new TlsSummary("TLSv1.3", "shop.example", "TLS_AES_128_GCM_SHA256", "h2",
        null, leaf, "TLSv1.3", "TLS_AES_256_GCM_SHA384", List.of(upstream));
    byte[] requestBody = utf8("{\"user\":\"alice\",\"password\":\"hunter2\"}");
    byte[] responseBody = utf8("<html><body>Welcome back, alice! Your basket has 3 items"
        + "</body></html>");
    return new FlowBuilder()
        .session(session)
        .kind(FlowKind.HTTPS_DECRYPTED)
        .startedAt(T0)
        .client("127.0.0.1:53211")
        .method("POST")
        .url("https://shop.example/api/login?next=%2Fbasket")
        .host("shop.example")
        .port(443)
        .status(200)
        .requestBytes(requestBody.length)
        .responseBytes(responseBody.length)
        .durationMs(87)
        .request(new CapturedRequest("POST", "https://shop.example/api/login?next=%2Fbasket",
            "HTTP/1.1", List.of(new Header("Host", "shop.example"),
                new Header("Content-Type", "application/json"),
                new Header("Cookie", "sessionid=abc123; theme=dark")),
            new Body(requestBody, requestBody.length, false)))
        .response(new CapturedResponse(200, "OK", "HTTP/1.1",
            List.of(new Header("Content-Type", "text/html; charset=utf-8"),
                new Header("Set-Cookie", "sessionid=def456; Path=/; HttpOnly")),
            new Body(responseBody, 5000, true)))
        .tls(tls)
        .timings(new Timings(3L, 5L, 21L, 9L, 40L, 9L))
        .build();
  }

  /** A plain HTTP GET with the given host, path and response text. */
  static Flow http(String session, String host, String path, String responseText) {
    byte[] body = utf8(responseText);
    String url = "http://" + host + path;
    return new FlowBuilder()
        .session(session)
        .kind(FlowKind.HTTP)
        .startedAt(Instant.now())
        .client("127.0.0.1:40000")
        .method("GET")
        .url(url)
        .host(host)
        .port(80)
        .status(200)
        .responseBytes(body.length)
        .durationMs(3)
        .request(new CapturedRequest("GET", url, "HTTP/1.1",
            List.of(new Header("Host", host), new Header("User-Agent", "curl/8.5.0")), Body.EMPTY))
        .response(new CapturedResponse(200, "OK", "HTTP/1.1",
            List.of(new Header("Content-Type", "text/plain")),
            new Body(body, body.length, false)))
        .build();
  }

  /** A plain HTTP GET answered with binary bytes (not indexed for text search). */
  static Flow binary(String session, String host, String path, byte[] body) {
    return withResponse(http(session, host, path, ""), body,
        List.of(new Header("Content-Type", "application/octet-stream")));
  }

  /** The GET of {@link #http} answered 200 with these bytes and headers instead. */
  static Flow withResponse(Flow get, byte[] body, List<Header> headers) {
    return new FlowBuilder()
        .session(get.session())
        .kind(get.kind())
        .startedAt(get.startedAt())
        .client(get.client())
        .method(get.method())
        .url(get.url())
        .host(get.host())
        .port(get.port())
        .status(200)
        .responseBytes(body.length)
        .durationMs(2)
        .request(get.request())
        .response(new CapturedResponse(200, "OK", "HTTP/1.1", headers,
            new Body(body, body.length, false)))
        .build();
  }

  /** A tunnelled CONNECT: no request or response, TLS metadata only. */
  static Flow tunnel(String session, String host) {
    return new FlowBuilder()
        .session(session)
        .kind(FlowKind.HTTPS_TUNNEL)
        .startedAt(Instant.now())
        .client("127.0.0.1:40001")
        .method("CONNECT")
        .host(host)
        .port(443)
        .tls(new TlsSummary("TLSv1.3", host, null, null, null, null, null, null, null))
        .build();
  }
}
