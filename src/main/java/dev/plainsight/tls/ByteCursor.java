package dev.plainsight.tls;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader over a slice of a byte array, for the length-prefixed structures of TLS.
 * Every read past the end throws {@link Malformed} naming what was being read; the array is never
 * written. {@link #sub(int, String)} hands out a cursor over the next n bytes and skips them here.
 */
final class ByteCursor {

  /** A structure whose lengths do not add up. Caught by the parsers, never leaves the package. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] data;
  private final int end;
  private int pos;

  ByteCursor(byte[] data, int offset, int length) {
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  static ByteCursor of(byte[] data) {
    return new ByteCursor(data, 0, data.length);
  }

  int remaining() {
    return end - pos;
  }

  boolean hasRemaining() {
    return pos < end;
  }

  int u8(String what) {
    need(1, what);
    return data[pos++] & 0xff;
  }

  int u16(String what) {
    need(2, what);
    int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  int u24(String what) {
    need(3, what);
    int v = ((data[pos] & 0xff) << 16) | ((data[pos + 1] & 0xff) << 8) | (data[pos + 2] & 0xff);
    pos += 3;
    return v;
  }

  byte[] bytes(int n, String what) {
    need(n, what);
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  String hex(int n, String what) {
    need(n, what);
    StringBuilder sb = new StringBuilder(n * 2);
    for (int i = pos; i < pos + n; i++) {
      sb.append(HEX[(data[i] >> 4) & 0xf]).append(HEX[data[i] & 0xf]);
    }
    pos += n;
    return sb.toString();
  }

  String ascii(int n, String what) {
    need(n, what);
    String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
    pos += n;
    return s;
  }

  void skip(int n, String what) {
    need(n, what);
    pos += n;
  }

  /** The next n bytes as their own cursor; this cursor moves past them. */
  ByteCursor sub(int n, String what) {
    need(n, what);
    ByteCursor inner = new ByteCursor(data, pos, n);
    pos += n;
    return inner;
  }

  /** A cursor over a vector whose length is a u8 (1) or u16 (2) prefix. */
  ByteCursor vector(int prefixBytes, String what) {
    int n = prefixBytes == 1 ? u8(what + " length") : u16(what + " length");
    return sub(n, what);
  }

  private void need(int n, String what) {
    if (n < 0 || n > end - pos) {
      throw new Malformed(what + " needs " + n + " bytes, " + (end - pos) + " left");
    }
  }
}
