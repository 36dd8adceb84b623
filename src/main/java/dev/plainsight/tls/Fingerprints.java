package dev.plainsight.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The client fingerprints an eavesdropper computes from a ClientHello in clear: JA3 (Salesforce:
 * MD5 of "version,ciphers,extensions,groups,point formats" in decimal) and JA4 (FoxIO, TCP form
 * {@code t13d1516h2_<ciphers>_<extensions>}), both with GREASE values removed as their
 * specifications say. Pure: {@link #of} takes a hello record ({@link HelloRecord#bytes()}: 5-byte
 * record header, then the handshake message) and returns null when it is not a readable
 * ClientHello.
 */
public record Fingerprints(String ja3, String ja3String, String ja4, String ja4Raw) {

  private static final String NO_HASH = "000000000000";

  /** What a ClientHello offers, in wire order, GREASE removed. */
  private static final class Offer {
    int legacyVersion;
    final List<Integer> suites = new ArrayList<>();
    final List<Integer> extensions = new ArrayList<>();
    final List<Integer> groups = new ArrayList<>();
    final List<Integer> pointFormats = new ArrayList<>();
    final List<Integer> versions = new ArrayList<>();
    final List<Integer> signatures = new ArrayList<>();
    byte[] firstAlpn;
  }

  public static Fingerprints of(byte[] record) {
    if (record == null) {
      return null;
    }
    Offer offer = new Offer();
    try {
      ByteCursor in = ByteCursor.of(record);
      if (in.u8("content type") != 22) {
        return null;
      }
      in.skip(4, "record version and length");
      if (in.u8("handshake type") != 1) {
        return null;
      }
      read(in.sub(Math.min(in.u24("handshake length"), in.remaining()), "ClientHello"), offer);
    } catch (ByteCursor.Malformed e) {
      return null;
    }
    String ja3String = ja3String(offer);
    String[] ja4 = ja4(offer);
    return new Fingerprints(hex(digest("MD5", ja3String)), ja3String, ja4[0], ja4[1]);
  }

  private static void read(ByteCursor in, Offer offer) {
    offer.legacyVersion = in.u16("legacy_version");
    in.skip(32, "random");
    in.vector(1, "session_id");
    ByteCursor suites = in.vector(2, "cipher_suites");
    while (suites.remaining() >= 2) {
      keep(suites.u16("cipher suite"), offer.suites);
    }
    in.vector(1, "compression_methods");
    if (!in.hasRemaining()) {
      return;
    }
    ByteCursor extensions = in.vector(2, "extensions");
    while (extensions.hasRemaining()) {
      int type = extensions.u16("extension type");
      ByteCursor data = extensions.vector(2, "extension");
      if (!TlsNames.isGrease(type)) {
        offer.extensions.add(type);
        extension(type, data, offer);
      }
    }
  }

  private static void extension(int type, ByteCursor data, Offer offer) {
    switch (type) {
      case 10 -> codes(data.vector(2, "groups"), offer.groups);
      case 11 -> {
        ByteCursor formats = data.vector(1, "ec_point_formats");
        while (formats.hasRemaining()) {
          offer.pointFormats.add(formats.u8("point format"));
        }
      }
      case 13 -> codes(data.vector(2, "signature algorithms"), offer.signatures);
      case 16 -> {
        ByteCursor list = data.vector(2, "protocol_name_list");
        if (list.hasRemaining() && offer.firstAlpn == null) {
          ByteCursor name = list.vector(1, "protocol");
          offer.firstAlpn = name.bytes(name.remaining(), "protocol");
        }
      }
      case 43 -> codes(data.vector(1, "versions"), offer.versions);
      default -> { }
    }
  }

  private static void codes(ByteCursor list, List<Integer> out) {
    while (list.remaining() >= 2) {
      keep(list.u16("code"), out);
    }
  }

  private static void keep(int value, List<Integer> out) {
    if (!TlsNames.isGrease(value)) {
      out.add(value);
    }
  }

  private static String ja3String(Offer o) {
    return o.legacyVersion + "," + decimal(o.suites) + "," + decimal(o.extensions) + ","
        + decimal(o.groups) + "," + decimal(o.pointFormats);
  }

  /** The hashed and the raw (ja4_r) JA4 of a TCP ClientHello. */
  private static String[] ja4(Offer o) {
    int version = o.extensions.contains(43) && !o.versions.isEmpty()
        ? o.versions.stream().max(Integer::compare).orElse(0) : o.legacyVersion;
    String a = "t" + version(version) + (o.extensions.contains(0) ? "d" : "i")
        + two(o.suites.size()) + two(o.extensions.size()) + alpn(o.firstAlpn);
    String ciphers = sortedHex(o.suites);
    List<Integer> exts = new ArrayList<>(o.extensions);
    exts.removeIf(e -> e == 0 || e == 16);
    String extensions = sortedHex(exts);
    String sigs = o.signatures.stream().map(Fingerprints::hex4).collect(Collectors.joining(","));
    String c = sigs.isEmpty() ? extensions : extensions + "_" + sigs;
    String hashed = a + "_" + (o.suites.isEmpty() ? NO_HASH : hash12(ciphers)) + "_"
        + (exts.isEmpty() ? NO_HASH : hash12(c));
    return new String[] {hashed, a + "_" + ciphers + "_" + c};
  }

  private static String version(int v) {
    return switch (v) {
      case 0x0304 -> "13";
      case 0x0303 -> "12";
      case 0x0302 -> "11";
      case 0x0301 -> "10";
      case 0x0300 -> "s3";
      case 0x0002 -> "s2";
      default -> "00";
    };
  }

  /** First and last character of the first ALPN value; hex digits when either is not alnum. */
  private static String alpn(byte[] value) {
    if (value == null || value.length == 0) {
      return "00";
    }
    int first = value[0] & 0xff;
    int last = value[value.length - 1] & 0xff;
    if (alnum(first) && alnum(last)) {
      return "" + (char) first + (char) last;
    }
    String hex = HexFormat.of().formatHex(value);
    return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
  }

  private static boolean alnum(int c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
  }

  private static String two(int n) {
    return String.format("%02d", Math.min(n, 99));
  }

  private static String sortedHex(List<Integer> values) {
    return values.stream().sorted().map(Fingerprints::hex4).collect(Collectors.joining(","));
  }

  private static String hex4(int v) {
    return String.format("%04x", v);
  }

  private static String decimal(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining("-"));
  }

  private static String hash12(String s) {
    return hex(digest("SHA-256", s)).substring(0, 12);
  }

  private static byte[] digest(String algorithm, String s) {
    try {
      return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this Java", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
