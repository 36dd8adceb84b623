package dev.plainsight.proxy.littleproxy;

import dev.plainsight.ca.RootCa;
import dev.plainsight.proxy.ProxyAutoConfig;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code http://plainsight/}, answered by the proxy itself (never forwarded, never the
 * dashboard), as mitmproxy answers mitm.it: a browser that already uses the proxy gets the CA
 * certificate and the PAC file there. Only plain HTTP: no certificate could be trusted for it yet.
 */
final class MagicHost {
  static final String NAME = "plainsight";

  private final RootCa ca;

  MagicHost(RootCa ca) {
    this.ca = ca;
  }

  static boolean isFor(String host) {
    return host != null && host.toLowerCase(Locale.ROOT).equals(NAME);
  }

  /** The answer to a request for the magic host; {@code local} is the proxy address it reached. */
  FullHttpResponse answer(HttpRequest request, InetSocketAddress local) {
    return switch (pathOf(request)) {
      case "/" -> response(HttpResponseStatus.OK, "text/html; charset=utf-8",
          page().getBytes(StandardCharsets.UTF_8));
      case "/ca.pem" -> response(HttpResponseStatus.OK, "application/x-pem-file",
          ca.certificatePem().getBytes(StandardCharsets.US_ASCII));
      case "/ca.der", "/ca.crt" -> response(HttpResponseStatus.OK, "application/x-x509-ca-cert",
          ca.certificateDer());
      case "/proxy.pac" -> response(HttpResponseStatus.OK, ProxyAutoConfig.CONTENT_TYPE,
          ProxyAutoConfig.script(local.getAddress().getHostAddress(), local.getPort())
              .getBytes(StandardCharsets.UTF_8));
      default -> response(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
          "not found: try http://plainsight/\n".getBytes(StandardCharsets.UTF_8));
    };
  }

  /** The request's path without its query; never fails on a malformed URL ({@code %zz}). */
  private static String pathOf(HttpRequest request) {
    String target = ClientTarget.of(request) instanceof ClientTarget.Absolute absolute
        ? absolute.target().pathAndQuery() : request.uri();
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    return path.isEmpty() ? "/" : path;
  }

  private String page() {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Plainsight: install the CA</title></head>
        <body>
        <h1>You are using the Plainsight teaching proxy</h1>
        <p>This page comes from the proxy itself, not from the internet.</p>
        <p>To let Plainsight read your HTTPS traffic for the workshop, trust its certificate
        authority. Compare the fingerprint with the one your trainer shows.</p>
        <ul>
        <li><a href="/ca.pem">ca.pem</a> (Linux, Firefox, curl, Java, Node, Python)</li>
        <li><a href="/ca.der">ca.der</a> (Windows, macOS, Android, iOS)</li>
        <li><a href="/proxy.pac">proxy.pac</a> (automatic proxy configuration)</li>
        </ul>
        <p>SHA-256: <code>%s</code></p>
        <p>After the workshop, remove it again: a trusted CA you no longer need is a risk.</p>
        </body></html>
        """.formatted(ca.sha256Fingerprint());
  }

  private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Plainsight", "answered by the proxy itself");
    return response;
  }
}
