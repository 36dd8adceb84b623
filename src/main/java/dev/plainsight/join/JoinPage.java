package dev.plainsight.join;

import dev.plainsight.Html;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The participants' page, the same at {@code http://plainsight/} (answered by the proxy) and at
 * the dashboard's public {@code /join} and {@code /ca}: the proxy address to set (and the PAC URL
 * when there is one), the CA download and its fingerprint, the steps per platform to trust it,
 * the demo site's CA when {@code --demo} runs, and how to remove everything afterwards. Holds no
 * captured data; no script, no inline style (its stylesheet is {@code /join.css}); every value
 * is HTML-escaped. The text lives in {@code join/page.html}.
 */
public final class JoinPage {
  private static final Pattern CN = Pattern.compile("(?:^|,)\\s*CN=((?:\\\\,|[^,])+)");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final String TEMPLATE = resource("/join/page.html");

  private JoinPage() {}

  /**
   * The page for a client that reaches the proxy at {@code proxyHost}:{@code proxyPort}; {@code
   * pacUrl} is the PAC URL it can fetch without the proxy, or null when there is none.
   */
  public static String html(Room room, String proxyHost, int proxyPort, String pacUrl) {
    X509Certificate cert = room.ca().certificate();
    String subject = cert.getSubjectX500Principal().getName();
    Optional<OfferedCa> demo = room.demoCa();
    return TEMPLATE
        .replace("{{pacBlock}}", pacBlock(pacUrl))
        .replace("{{demoBlock}}", demo.map(JoinPage::demoBlock).orElse(""))
        .replace("{{demoRemove}}", demo.map(ca -> "<li><strong>" + Html.escape(ca.name())
            + ":</strong> remove it in the same places, in the same way.</li>\n").orElse(""))
        .replace("{{proxyHost}}", Html.escape(proxyHost))
        .replace("{{proxyPort}}", Integer.toString(proxyPort))
        .replace("{{fingerprint}}", Html.escape(room.ca().sha256Fingerprint()))
        .replace("{{spki}}", Html.escape(room.ca().spkiSha256Base64()))
        .replace("{{subject}}", Html.escape(subject))
        .replace("{{cn}}", Html.escape(commonName(subject)))
        .replace("{{notAfter}}", Html.escape(DAY.format(cert.getNotAfter().toInstant())));
  }

  /** The CN of an RFC 2253 name ("Plainsight CA 8e9ed06b"), or the whole name without one. */
  public static String commonName(String subject) {
    Matcher matcher = CN.matcher(subject);
    return matcher.find() ? matcher.group(1).replace("\\,", ",") : subject;
  }

  private static String pacBlock(String pacUrl) {
    if (pacUrl == null) {
      return "<p>This room has no automatic configuration (PAC) URL: set the proxy by hand.</p>\n";
    }
    String url = Html.escape(pacUrl);
    return "<p>Or, simpler: set the proxy to <em>automatic</em> with this configuration (PAC) URL: "
        + "<code id=\"pac-url\">" + url + "</code>. It sends everything through the proxy except "
        + "the trainer's dashboard, which the proxy never serves.</p>\n";
  }

  private static String demoBlock(OfferedCa demo) {
    String name = Html.escape(demo.name());
    return "<h2 id=\"demo-ca\">With the demo site: the " + name + "</h2>\n"
        + "<p>The demo site plays a real website, and its certificate comes from <strong>" + name
        + "</strong>, which stands in for a public CA (such as Let's Encrypt) that every browser "
        + "already trusts. Trust it too, with the same steps: without it, a demo host that the "
        + "proxy passes through sealed (a tunnel, not decrypted) shows a certificate warning in a "
        + "browser, where a real site would simply load.</p>\n"
        + "<div class=\"downloads\">\n"
        + "<a href=\"/demo-ca.pem\" download=\"demo-web-root-ca.pem\">demo-web-root-ca.pem (PEM)</a>\n"
        + "<a href=\"/demo-ca.der\" download=\"demo-web-root-ca.der\">demo-web-root-ca.der (DER)</a>\n"
        + "</div>\n"
        + "<p>SHA-256: <code id=\"demo-fingerprint\">" + Html.escape(demo.sha256Fingerprint())
        + "</code></p>\n\n";
  }

  private static String resource(String path) {
    try (InputStream in = JoinPage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
