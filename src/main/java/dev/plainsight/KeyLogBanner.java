package dev.plainsight;

import dev.plainsight.keylog.KeyLog;

/** The start-up banner's warning that a TLS key log is being written, where, and from what. */
final class KeyLogBanner {
  private KeyLogBanner() {}

  static String lines(KeyLog keyLog, boolean fromEnvironment) {
    return "KEY LOG:        WRITING THE TLS SECRETS OF EVERY INTERCEPTED CONNECTION (both legs) to "
        + keyLog.file() + (fromEnvironment ? " (from SSLKEYLOGFILE)" : "") + "\n"
        + "                anyone with this file can decrypt the traffic captured from this proxy "
        + "(tcpdump, Wireshark); delete it after the session. TLS: "
        + String.join(" and ", keyLog.sources()) + ", TLS 1.2 and 1.3";
  }
}
