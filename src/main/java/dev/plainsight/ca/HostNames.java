package dev.plainsight.ca;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the host a client asked for (a CONNECT host, an SNI name, an engine's peer host) into one
 * canonical {@link Host}: an IP literal (IPv4 dotted quad, or IPv6 with or without brackets) with its
 * address bytes, or a lower-case ASCII host name without a trailing dot. Never does a DNS lookup.
 * Rejects anything else with an {@link IllegalArgumentException}.
 */
final class HostNames {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

  /** A canonical host: {@code ip} is null for a host name. {@code key} is the text form. */
  record Host(String key, byte[] ip) {
    boolean isIp() {
      return ip != null;
    }
  }

  private HostNames() {}

  static Host parse(String hostOrIp) {
    if (hostOrIp == null || hostOrIp.isBlank()) {
      throw new IllegalArgumentException("no host given");
    }
    String s = hostOrIp.strip();
    boolean bracketed = s.startsWith("[") && s.endsWith("]");
    if (bracketed) {
      s = s.substring(1, s.length() - 1);
    }
    InetAddress ip = ipLiteral(s);
    if (ip != null) {
      return new Host(textOf(ip), ip.getAddress());
    }
    if (bracketed) {
      throw new IllegalArgumentException("not an IPv6 address: " + hostOrIp);
    }
    return new Host(hostName(s, hostOrIp), null);
  }

  static boolean isIpLiteral(String host) {
    try {
      return parse(host).isIp();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static InetAddress ipLiteral(String s) {
    try {
      if (IPV4.matcher(s).matches()) {
        String[] parts = s.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return InetAddress.getByAddress(bytes);
      }
      if (s.indexOf(':') >= 0 && IPV6_CHARS.matcher(s).matches()) {
        // Brackets make the JDK parse a literal and never fall back to a lookup.
        return InetAddress.getByName("[" + s + "]");
      }
      return null;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + s, e);
    }
  }

  private static String hostName(String s, String original) {
    String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    try {
      name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a host name: " + original, e);
    }
    if (name.isEmpty() || name.length() > 253) {
      throw new IllegalArgumentException("not a host name: " + original);
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("not a host name: " + original);
      }
    }
    return name;
  }

  /** RFC 5952 text: IPv4 dotted quad; IPv6 lower-case with the longest run of zero groups as "::". */
  private static String textOf(InetAddress ip) {
    if (!(ip instanceof Inet6Address)) {
      return ip.getHostAddress();
    }
    byte[] b = ip.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
