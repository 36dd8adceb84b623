package dev.plainsight.pcap;

import java.util.HexFormat;

/**
 * The client random of a TLS ClientHello at the start of a leg's client bytes (a handshake record,
 * type 1, the 32 bytes after the version), in hex; null when the leg does not start with one.
 */
final class ClientHelloRandom {
  private ClientHelloRandom() {}

  static String of(byte[] prefix) {
    if (prefix.length < 43 || prefix[0] != 0x16 || prefix[5] != 0x01) {
      return null;
    }
    return HexFormat.of().formatHex(prefix, 11, 43);
  }

  static String of(LegRecorder leg) {
    return of(leg.clientPrefix(43));
  }
}
