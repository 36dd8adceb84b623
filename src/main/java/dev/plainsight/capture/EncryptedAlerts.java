package dev.plainsight.capture;

import dev.plainsight.tls.TlsNames;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the alert a client sent encrypted (TLS 1.3, after handshake keys), from the message of the
 * TLS engine that decrypted it (JSSE or BoringSSL wording).
 */
final class EncryptedAlerts {
  /** JSSE: "Received fatal alert: certificate_unknown". */
  private static final Pattern RECEIVED = Pattern.compile("Received fatal alert: ([a-z_]+)");
  /** BoringSSL/OpenSSL: "...:SSLV3_ALERT_CERTIFICATE_UNKNOWN", "...:TLSV1_ALERT_UNKNOWN_CA". */
  private static final Pattern OPENSSL = Pattern.compile("(?:SSLV3|TLSV1)_ALERT_([A-Z_]+)");

  private EncryptedAlerts() {}

  /** The alert's name with its code, e.g. "certificate_unknown (46, sent encrypted)". */
  static Optional<String> describe(String engineMessage) {
    if (engineMessage == null) {
      return Optional.empty();
    }
    String name = null;
    Matcher jsse = RECEIVED.matcher(engineMessage);
    Matcher openSsl = OPENSSL.matcher(engineMessage);
    if (jsse.find()) {
      name = jsse.group(1);
    } else if (openSsl.find()) {
      name = openSsl.group(1).toLowerCase(java.util.Locale.ROOT);
    } else {
      return Optional.empty();
    }
    for (int code = 0; code < 256; code++) {
      if (name.equals(TlsNames.alert(code))) {
        return Optional.of(name + " (" + code + ", sent encrypted)");
      }
    }
    return Optional.of(name + " (sent encrypted)");
  }
}
