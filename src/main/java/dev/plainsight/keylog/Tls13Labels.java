package dev.plainsight.keylog;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Recognises the TLS 1.3 key schedule in an HMAC's input. HKDF-Expand-Label(secret, label,
 * context, L) is, for an L no longer than the hash, one HMAC keyed with {@code secret} over
 * {@code HkdfLabel || 0x01}, where HkdfLabel is {@code uint16 L, opaque label<7..255> ("tls13 " +
 * label), opaque context<0..255>} (RFC 8446, 7.1); its output is the derived secret. Only the
 * traffic and exporter secrets a key log carries are named; everything else gives null.
 */
final class Tls13Labels {
  /** The longest HMAC input worth keeping: 2 + 1 + 255 + 1 + 255 + 1. */
  static final int MAX_INPUT = 515;

  private static final Map<String, String> NSS = Map.of(
      "tls13 c hs traffic", NssLine.CLIENT_HANDSHAKE,
      "tls13 s hs traffic", NssLine.SERVER_HANDSHAKE,
      "tls13 c ap traffic", NssLine.CLIENT_TRAFFIC,
      "tls13 s ap traffic", NssLine.SERVER_TRAFFIC,
      "tls13 exp master", NssLine.EXPORTER);

  private Tls13Labels() {}

  /** The NSS label of the secret this HMAC input derives, or null. */
  static String nssLabel(byte[] input, int length) {
    if (length < 4 || length > input.length) {
      return null;
    }
    int labelLength = input[2] & 0xff;
    int contextAt = 3 + labelLength;
    if (contextAt >= length) {
      return null;
    }
    int contextLength = input[contextAt] & 0xff;
    if (contextAt + 1 + contextLength + 1 != length || input[length - 1] != 1) {
      return null;
    }
    return NSS.get(new String(input, 3, labelLength, StandardCharsets.US_ASCII));
  }
}
