package dev.plainsight.join;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The public files a participant needs before anything else, by path, served alike by the
 * proxy's {@code http://plainsight/} and by the dashboard: the page ({@code /}, {@code /join},
 * {@code /ca}), its stylesheet and icon, the CA ({@code /ca.pem}, {@code /ca.der}, {@code /ca.crt}), the
 * demo site's CA when offered ({@code /demo-ca.pem}, {@code /demo-ca.der}) and the PAC file.
 * What depends on the client is passed in: the proxy address it reaches, and its PAC URL.
 */
public final class JoinFiles {
  /** One file: its content type, bytes, and the name to save it under (null for a page). */
  public record File(String contentType, byte[] bytes, String downloadName) {}

  private static final byte[] STYLE = resource("/web/join.css");
  private static final byte[] ICON = resource("/web/favicon.svg");

  private JoinFiles() {}

  /**
   * The file at {@code path} for a client that reaches the proxy at {@code proxyHost}:{@code
   * proxyPort} and can fetch {@code pacUrl} (null: none), or empty.
   */
  public static Optional<File> find(Room room, String path, String proxyHost, int proxyPort,
      String pacUrl) {
    return Optional.ofNullable(switch (path) {
      case "/", "/join", "/ca" -> new File("text/html; charset=utf-8",
          JoinPage.html(room, proxyHost, proxyPort, pacUrl).getBytes(StandardCharsets.UTF_8), null);
      case "/join.css" -> new File("text/css; charset=utf-8", STYLE.clone(), null);
      case "/favicon.svg" -> new File("image/svg+xml", ICON.clone(), null);
      case "/ca.pem" -> new File("application/x-pem-file",
          room.ca().certificatePem().getBytes(StandardCharsets.US_ASCII), "plainsight-ca.pem");
      case "/ca.der", "/ca.crt" -> new File("application/x-x509-ca-cert",
          room.ca().certificateDer(), "plainsight-ca.der");
      case "/demo-ca.pem" -> room.demoCa().map(ca -> new File("application/x-pem-file",
          ca.pem().getBytes(StandardCharsets.US_ASCII), "demo-web-root-ca.pem")).orElse(null);
      case "/demo-ca.der" -> room.demoCa().map(ca -> new File("application/x-x509-ca-cert",
          ca.der(), "demo-web-root-ca.der")).orElse(null);
      case "/proxy.pac" -> new File(ProxyAutoConfig.CONTENT_TYPE,
          room.pac(proxyHost, proxyPort).getBytes(StandardCharsets.UTF_8), null);
      default -> null;
    });
  }

  private static byte[] resource(String path) {
    try (InputStream in = JoinFiles.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
