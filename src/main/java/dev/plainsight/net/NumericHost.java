package dev.plainsight.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Reads a host that is a number the way the system's resolver would ({@code inet_aton}: one to
 * four dot-separated parts, each decimal, octal with a leading 0, or hexadecimal with 0x; the
 * last part fills the remaining bytes, so {@code 2130706433}, {@code 0x7f.1} and {@code 0} are
 * addresses), so such a host is never sent to DNS and is checked as the address it means. A host
 * that looks numeric but is no valid address ({@code 1.2.3.4.5}, {@code 09}, {@code 256.1.1.1})
 * is {@link #looksNumeric()} with a null {@link #address()}: refuse it.
 */
public record NumericHost(boolean looksNumeric, InetAddress address) {
  private static final NumericHost NOT_NUMERIC = new NumericHost(false, null);
  private static final NumericHost INVALID = new NumericHost(true, null);

  /** {@code host} lower-cased, without brackets; one trailing dot is ignored. */
  public static NumericHost parse(String host) {
    String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (text.isEmpty()) {
      return NOT_NUMERIC;
    }
    String[] parts = text.split("\\.", -1);
    for (String part : parts) {
      if (!looksLikeNumber(part)) {
        return NOT_NUMERIC;
      }
    }
    if (parts.length > 4) {
      return INVALID;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = value(parts[i]);
      if (values[i] < 0) {
        return INVALID;
      }
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 255) {
        return INVALID;
      }
      address = address << 8 | values[i];
    }
    int lastBytes = 4 - (parts.length - 1);
    long last = values[parts.length - 1];
    if (last >= 1L << (8 * lastBytes)) {
      return INVALID;
    }
    address = address << (8 * lastBytes) | last;
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
        (byte) address};
    try {
      return new NumericHost(true, InetAddress.getByAddress(bytes));
    } catch (UnknownHostException impossible) {
      return INVALID;
    }
  }

  /**
   * An IPv6 literal (no brackets, no zone) as the address it means, or null when it is not one.
   * Only hex digits, ':' and '.' are accepted, which Java parses itself without asking DNS; an
   * IPv4-mapped literal ({@code ::ffff:127.0.0.1}) comes back as the {@link Inet4Address}.
   */
  public static InetAddress parseIpv6(String literal) {
    if (literal.isEmpty() || literal.indexOf(':') < 0 || literal.length() > 45) {
      return null;
    }
    for (int i = 0; i < literal.length(); i++) {
      char c = Character.toLowerCase(literal.charAt(i));
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) {
        return null;
      }
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException invalid) {
      return null;
    }
  }

  private static boolean looksLikeNumber(String part) {
    if (part.isEmpty()) {
      return false;
    }
    if (part.startsWith("0x")) {
      for (int i = 2; i < part.length(); i++) {
        if (Character.digit(part.charAt(i), 16) < 0) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < part.length(); i++) {
      if (part.charAt(i) < '0' || part.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The part's value, or -1 when it is not a valid number or exceeds 32 bits. */
  private static long value(String part) {
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x")) {
      radix = 16;
      digits = part.substring(2);
      if (digits.isEmpty()) {
        return -1;
      }
    } else if (part.length() > 1 && part.startsWith("0")) {
      radix = 8;
      digits = part.substring(1);
    }
    digits = digits.replaceFirst("^0+(?=.)", "");
    if (digits.length() > 11) {
      return -1;
    }
    try {
      long value = Long.parseLong(digits, radix);
      return value > 0xffffffffL ? -1 : value;
    } catch (NumberFormatException notInRadix) {
      return -1;
    }
  }
}
