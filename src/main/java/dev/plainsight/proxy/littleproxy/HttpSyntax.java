package dev.plainsight.proxy.littleproxy;

import java.util.Locale;

/**
 * The pieces of RFC 9110 / 9112 syntax {@link RequestFraming} checks, on bytes of one line: tokens,
 * request-target bytes, hex digits, a Transfer-Encoding list, chunk extensions. Pure functions.
 */
final class HttpSyntax {
  private HttpSyntax() {}

  /** RFC 9112 §6.1: chunked last and once; any coding before it one Netty and origins know. */
  static boolean endsInOneChunked(String joined) {
    String[] codings = joined.split(",", -1);
    for (int i = 0; i < codings.length; i++) {
      String coding = codings[i].strip().toLowerCase(Locale.ROOT);
      boolean last = i == codings.length - 1;
      boolean known = last ? coding.equals("chunked")
          : switch (coding) {
            case "gzip", "x-gzip", "deflate", "compress", "x-compress" -> true;
            default -> false;
          };
      if (!known) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )} over the line from
   * {@code at} to {@code end}, with nothing after it.
   */
  static boolean validExtensions(byte[] line, int at, int end) {
    while (at < end) {
      at = skipBws(line, at, end);
      if (at == end || line[at] != ';') {
        return false;
      }
      at = skipBws(line, at + 1, end);
      int name = at;
      while (at < end && isTchar(line[at])) {
        at++;
      }
      if (at == name) {
        return false;
      }
      int afterName = at;
      at = skipBws(line, at, end);
      if (at < end && line[at] == '=') {
        at = skipBws(line, at + 1, end);
        at = at < end && line[at] == '"' ? quotedString(line, at, end) : token(line, at, end);
        if (at < 0) {
          return false;
        }
      } else {
        at = afterName;
      }
    }
    return true;
  }

  static int skipBws(byte[] line, int at, int end) {
    while (at < end && (line[at] == ' ' || line[at] == '\t')) {
      at++;
    }
    return at;
  }

  /** The index after a non-empty token at {@code at}, or -1. */
  private static int token(byte[] line, int at, int end) {
    int start = at;
    while (at < end && isTchar(line[at])) {
      at++;
    }
    return at == start ? -1 : at;
  }

  /**
   * The index after a quoted-string opening at {@code at}, or -1. Stricter than RFC 9110 (which
   * allows obs-text, bytes above 0x7f): Netty 4.2 fails on them inside a chunk extension (a signed
   * byte indexes its table: "bitIndex &lt; 0"), and LittleProxy would forward that failure as the
   * body's clean end.
   */
  private static int quotedString(byte[] line, int at, int end) {
    for (at++; at < end; at++) {
      int b = line[at] & 0xff;
      if (b == '"') {
        return at + 1;
      }
      if (b == '\\') {
        at++;
        if (at == end || ((line[at] & 0xff) < 0x20 && line[at] != '\t') || line[at] == 0x7f
            || (line[at] & 0xff) >= 0x80) {
          return -1;
        }
      } else if ((b < 0x20 && b != '\t') || b == 0x7f || b >= 0x80) {
        return -1;
      }
    }
    return -1;
  }

  static int hex(byte b) {
    return b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10
        : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
  }

  /** RFC 9110 tchar: what a method or a header name is made of. */
  static boolean isTchar(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }

  /** A request target's bytes: visible ASCII, or bytes above 0x7f (which Netty passes). */
  static boolean isTargetByte(byte b) {
    int u = b & 0xff;
    return (u > 0x20 && u < 0x7f) || u >= 0x80;
  }
}
