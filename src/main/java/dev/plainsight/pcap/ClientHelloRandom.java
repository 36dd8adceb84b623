package dev.plainsight.pcap;

import java.util.HexFormat;

/**
 * The client random of the TLS ClientHello a leg's client bytes start with, or that follows the
 * head of a proxy request (a CONNECT): a handshake record, type 1, the 32 bytes after the version,
 * in hex; null when there is none.
 */
final class ClientHelloRandom {
  private static final int LOOK = 8192;

  private ClientHelloRandom() {}

  static String of(byte[] bytes) {
    int start = 0;
    if (bytes.length > 0 && bytes[0] != 0x16) {
      start = afterHead(bytes);
    }
    if (start < 0 || bytes.length - start < 43 || bytes[start] != 0x16
        || bytes[start + 5] != 0x01) {
      return null;
    }
    return HexFormat.of().formatHex(bytes, start + 11, start + 43);
  }

  static String of(LegRecorder leg) {
    return of(leg.clientPrefix(LOOK));
  }

  private static int afterHead(byte[] bytes) {
    for (int i = 0; i + 3 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }
}
