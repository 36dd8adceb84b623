package dev.plainsight.lesson;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a client refused Plainsight's certificate, in one voice for the list, the detail, the lesson
 * and the API: either it sent an alert (which one, whether in clear or encrypted, who sends it and
 * what that client's user sees), or it closed without an alert; never both. Read from the flow's
 * stored alert text: "unknown_ca (48)" (read from the raw bytes: sent in clear), "certificate_unknown
 * (46, sent encrypted)" (named by the TLS engine that decrypted it) or "closed without alert".
 */
public record Refusal(boolean sentAlert, String alert, Integer code, boolean encrypted,
    String clients, String userSees, String sentence) {

  private static final Pattern ALERT =
      Pattern.compile("^([a-z_]+)\\s*\\((?:(\\d+))?(?:,\\s*)?(sent encrypted)?\\)");

  /** The refusal of an {@code https-rejected} flow; empty for any other flow. */
  public static Optional<Refusal> of(Flow flow) {
    if (flow.kind() != FlowKind.HTTPS_REJECTED) {
      return Optional.empty();
    }
    return Optional.of(parse(flow.tls() == null ? null : flow.tls().alert()));
  }

  static Refusal parse(String stored) {
    Matcher match = ALERT.matcher(stored == null ? "" : stored.trim());
    if (!match.find()) {
      return new Refusal(false, null, null, false, "some clients, such as Java's HttpClient",
          "a connection error", "closed the connection without sending an alert");
    }
    String name = match.group(1);
    Integer code = match.group(2) == null ? null : Integer.valueOf(match.group(2));
    boolean encrypted = match.group(3) != null;
    String[] who = whoSends(code);
    String sentence = "sent the alert " + name + (code == null ? "" : " (" + code + ")")
        + (encrypted ? ", encrypted (TLS 1.3: an eavesdropper sees only an encrypted record)"
            : ", in clear (an eavesdropper can read which alert it was)");
    return new Refusal(true, name, code, encrypted, who[0], who[1], sentence);
  }

  private static String[] whoSends(Integer code) {
    if (code == null) {
      return new String[] {"a TLS client", "a certificate error"};
    }
    return switch (code) {
      case 48 -> new String[] {"curl and other OpenSSL clients, Firefox",
          "curl: \"SSL certificate problem: unable to get local issuer certificate\" (exit code "
              + "60); Firefox: SEC_ERROR_UNKNOWN_ISSUER or MOZILLA_PKIX_ERROR_MITM_DETECTED"};
      case 46 -> new String[] {"Chrome and Chromium, Java (JSSE)",
          "Chrome: NET::ERR_CERT_AUTHORITY_INVALID; Java: \"PKIX path building failed\""};
      case 42 -> new String[] {"older or embedded TLS stacks", "a certificate error"};
      case 45 -> new String[] {"any client", "a \"certificate expired\" error"};
      default -> new String[] {"a TLS client", "a TLS error"};
    };
  }
}
