package dev.plainsight.capture;

import dev.plainsight.tls.TlsNames;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the alert a client sent encrypted (TLS 1.3, after handshake keys), from the message of the
 * TLS engine that decrypted it, e.g. "Received fatal alert: certificate_unknown".
 */
final class EncryptedAlerts {
  private static final Pattern RECEIVED = Pattern.compile("Received fatal alert: ([a-z_]+)");

  private EncryptedAlerts() {}

  /** The alert's name with its code, e.g. "certificate_unknown (46, sent encrypted)". */
  static Optional<String> describe(String engineMessage) {
    if (engineMessage == null) {
      return Optional.empty();
    }
    Matcher matcher = RECEIVED.matcher(engineMessage);
    if (!matcher.find()) {
      return Optional.empty();
    }
    String name = matcher.group(1);
    for (int code = 0; code < 256; code++) {
      if (name.equals(TlsNames.alert(code))) {
        return Optional.of(name + " (" + code + ", sent encrypted)");
      }
    }
    return Optional.of(name + " (sent encrypted)");
  }
}
