package dev.plainsight;

import java.nio.file.Path;

/** The start-up banner's warning that a TLS key log is being written, and where. */
final class KeyLogBanner {
  private KeyLogBanner() {}

  static String lines(Path file, boolean fromEnvironment) {
    return "KEY LOG:        WRITING THE TLS SECRETS OF EVERY INTERCEPTED CONNECTION (both legs) to "
        + file + (fromEnvironment ? " (from SSLKEYLOGFILE)" : "") + "\n"
        + "                anyone with this file can decrypt the traffic captured from this proxy "
        + "(tcpdump, Wireshark); delete it after the session";
  }
}
