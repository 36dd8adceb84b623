package dev.plainsight.proxy.policy;

import dev.plainsight.ca.RootCa;
import dev.plainsight.flow.Header;
import dev.plainsight.proxy.ProxyAutoConfig;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.List;

/**
 * {@code http://plainsight/}, answered by the proxy itself (never forwarded, never the
 * dashboard), as mitmproxy answers mitm.it: a browser that already uses the proxy gets the CA
 * certificate and the PAC file there. Only plain HTTP: no certificate could be trusted for it yet.
 * A decider that answers ({@link Verdict.Answer}) plain requests for the name {@link #NAME}.
 */
public final class MagicHost implements Decider {
  public static final String NAME = "plainsight";

  private final RootCa ca;

  public MagicHost(RootCa ca) {
    this.ca = ca;
  }

  public static boolean isFor(String host) {
    return host != null && host.toLowerCase(Locale.ROOT).equals(NAME);
  }

  @Override
  public Verdict decide(Request request) {
    boolean plain = request.kind() == Request.Kind.PLAIN
        || request.kind() == Request.Kind.INSIDE_PLAIN_CONNECT;
    return plain && isFor(request.host()) ? answer(request) : Verdict.PASS;
  }

  /** The answer to a request for the magic host; {@code proxy} is the address it reached. */
  private Verdict.Answer answer(Request request) {
    return switch (pathOf(request.path())) {
      case "/" -> response(200, "OK", "text/html; charset=utf-8",
          page().getBytes(StandardCharsets.UTF_8));
      case "/ca.pem" -> response(200, "OK", "application/x-pem-file",
          ca.certificatePem().getBytes(StandardCharsets.US_ASCII));
      case "/ca.der", "/ca.crt" -> response(200, "OK", "application/x-x509-ca-cert",
          ca.certificateDer());
      case "/proxy.pac" -> response(200, "OK", ProxyAutoConfig.CONTENT_TYPE,
          ProxyAutoConfig.script(request.proxy().getAddress().getHostAddress(),
              request.proxy().getPort())
              .getBytes(StandardCharsets.UTF_8));
      default -> response(404, "Not Found", "text/plain; charset=utf-8",
          "not found: try http://plainsight/\n".getBytes(StandardCharsets.UTF_8));
    };
  }

  /** The path without its query. */
  private static String pathOf(String target) {
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

  private static Verdict.Answer response(int status, String reason, String type, byte[] body) {
    return new Verdict.Answer(status, reason, List.of(
        new Header("content-type", type),
        new Header("content-length", Integer.toString(body.length)),
        new Header("cache-control", "no-store"),
        new Header("X-Plainsight", "answered by the proxy itself")), body);
  }
}
