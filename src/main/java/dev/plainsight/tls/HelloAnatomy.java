package dev.plainsight.tls;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The field tree of one hello record (a {@link HelloRecord}'s bytes, or any byte string): record
 * header, handshake header, then a ClientHello or ServerHello field by field down to each cipher
 * suite and extension, with IANA names and GREASE marked. Pure and total: {@link #of} never throws,
 * and for any input the leaves tile {@code [0, bytes.length)} exactly, in order; bytes that cannot
 * be read (truncated, malformed) end as one leaf named for what went wrong.
 */
public final class HelloAnatomy {

  private static final String HRR_RANDOM =
      "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";

  private final FieldTiler t;
  private boolean client;

  private HelloAnatomy(byte[] bytes) {
    t = new FieldTiler(bytes);
  }

  /**
   * The fields, and what stopped the reading (null when every byte was read as a field). When the
   * bytes end exactly at a field boundary the problem has no bytes of its own and no leaf.
   */
  public record Tree(List<HelloField> fields, String problem) {}

  /** The fields of {@code bytes}; {@code headerNote} (may be null) explains a synthesized header. */
  public static List<HelloField> of(byte[] bytes, String headerNote) {
    return read(bytes, headerNote).fields();
  }

  /** {@link #of}, with what went wrong. */
  public static Tree read(byte[] bytes, String headerNote) {
    byte[] data = bytes == null ? new byte[0] : bytes;
    HelloAnatomy a = new HelloAnatomy(data);
    String problem = null;
    try {
      a.record(headerNote);
    } catch (FieldTiler.Unreadable e) {
      problem = e.getMessage();
    } catch (RuntimeException e) {
      problem = "unreadable: " + e.getClass().getSimpleName();
    }
    if (problem == null) {
      problem = a.t.cut();
    }
    return new Tree(a.t.finish(problem), problem);
  }

  private void record(String headerNote) {
    t.open("TLS record", null);
    int type = t.u8(t.leaf(1, "content type", o -> hexByte(t.u8(o)) + " "
        + TlsNames.contentType(t.u8(o)), "22 = handshake: the hello is sent in clear"));
    t.leaf(2, "legacy record version", o -> version(t.u16(o)),
        "frozen at TLS 1.0/1.2 for old middleboxes; the real version is negotiated inside");
    t.vector(2, "record", headerNote != null ? headerNote
        : "how many bytes follow in this record (at most 16384)");
    if (type != 22) {
      t.end("record payload (not a handshake)");
      t.close();
      return;
    }
    int hsType = t.u8(t.leaf(1, "handshake type", o -> t.u8(o) + " "
        + TlsNames.handshakeType(t.u8(o)), "1 = ClientHello, 2 = ServerHello"));
    t.vector(3, TlsNames.handshakeType(hsType), "handshake message length (3 bytes)");
    if (hsType == 1) {
      client = true;
      clientHello();
    } else if (hsType == 2) {
      serverHello();
    }
    t.end(hsType == 1 || hsType == 2 ? "bytes after the hello's fields"
        : "body of " + TlsNames.handshakeType(hsType) + " (not a hello)");
    t.end("more handshake messages in the record");
    t.close();
  }

  private void clientHello() {
    t.leaf(2, "legacy_version", o -> version(t.u16(o)),
        "frozen at TLS 1.2 (0x0303); TLS 1.3 is offered in supported_versions");
    t.leaf(32, "random", o -> t.hex(o, 32), "32 bytes chosen by the client, in clear");
    sessionId();
    t.vector(2, "cipher_suites", "the suites the client offers, most preferred first");
    while (t.remaining() >= 2) {
      t.leaf(2, "cipher suite", o -> code(t.u16(o), TlsNames::cipherSuite),
          greaseAbout(t.peek16()));
    }
    t.end("odd byte in cipher_suites");
    t.vector(1, "compression_methods", null);
    t.end("compression method");
    if (t.remaining() > 0) {
      extensions();
    }
  }

  private void serverHello() {
    t.leaf(2, "legacy_version", o -> version(t.u16(o)), null);
    boolean[] hrr = new boolean[1];
    t.leaf(32, "random", o -> {
      hrr[0] = HRR_RANDOM.equals(t.hex(o, 32));
      return t.hex(o, 32) + (hrr[0] ? " (HelloRetryRequest)" : "");
    }, "a fixed SHA-256(\"HelloRetryRequest\") here means: send another ClientHello");
    sessionId();
    t.leaf(2, "cipher suite", o -> code(t.u16(o), TlsNames::cipherSuite),
        "the one suite the server chose");
    t.leaf(1, "compression method", o -> String.valueOf(t.u8(o)), null);
    if (t.remaining() > 0) {
      extensions();
    }
  }

  private void sessionId() {
    int n = t.vector(1, "session_id", null);
    t.leaf(n, "session_id", o -> t.hex(o, n),
        "under TLS 1.3 a random value kept for middlebox compatibility");
    t.close();
  }

  private void extensions() {
    t.vector(2, "extensions", null);
    while (t.remaining() > 0) {
      int type = t.peek16();
      String name = TlsNames.isGrease(type) ? "GREASE extension" : TlsNames.extension(type);
      t.open("extension " + name, null);
      t.leaf(2, "extension type", o -> code(t.u16(o), TlsNames::extension), greaseAbout(type));
      int length = t.vector(2, name, null);
      extension(type, length);
      t.end(name + " data");
      t.close();
    }
    t.close();
  }

  private void extension(int type, int length) {
    switch (type) {
      case 0 -> {
        if (length > 0) {
          serverName();
        }
      }
      case 10 -> codes(2, "named group", TlsNames::group);
      case 13 -> codes(2, "signature scheme", TlsNames::signatureScheme);
      case 16 -> alpn();
      case 43 -> {
        if (client) {
          codes(1, "version", TlsNames::version);
        } else {
          t.leaf(2, "selected version", o -> version(t.u16(o)), "the version really negotiated");
        }
      }
      case 51 -> keyShare(length);
      case 0xfe0d -> ech();
      default -> { }
    }
  }

  private void serverName() {
    t.vector(2, "server_name_list", null);
    while (t.remaining() > 0) {
      t.leaf(1, "name_type", o -> t.u8(o) == 0 ? "0 host_name" : String.valueOf(t.u8(o)), null);
      int n = t.vector(2, "host_name", null);
      t.leaf(n, "server name", o -> t.text(o, n),
          "SNI: the host the client wants, readable by anyone on the path");
      t.close();
    }
    t.close();
  }

  private void alpn() {
    t.vector(2, "protocol_name_list", null);
    while (t.remaining() > 0) {
      int n = t.vector(1, "protocol", null);
      t.leaf(n, "protocol", o -> t.text(o, n), "ALPN: an application protocol offered (h2, http/1.1)");
      t.close();
    }
    t.close();
  }

  private void keyShare(int length) {
    if (!client && length == 2) {
      t.leaf(2, "selected group", o -> code(t.u16(o), TlsNames::group),
          "HelloRetryRequest: the group the server wants a share for");
      return;
    }
    if (client) {
      t.vector(2, "client_shares", null);
    }
    while (t.remaining() > 0) {
      t.open("key share", null);
      int group = t.peek16();
      t.leaf(2, "group", o -> code(t.u16(o), TlsNames::group),
          TlsNames.isGrease(group) ? greaseAbout(group)
              : "the (EC)DHE or hybrid post-quantum group of this ephemeral public key");
      int n = t.vector(2, "key_exchange", null);
      t.leaf(n, "public key", o -> n <= 32 ? t.hex(o, n) : n + " bytes",
          "an ephemeral public key: the session key is derived from it, never sent");
      t.close();
      t.close();
      if (!client) {
        return;
      }
    }
    t.close();
  }

  private void ech() {
    if (!client) {
      return;
    }
    int kind = t.u8(t.leaf(1, "ECH type", o -> t.u8(o) == 0 ? "0 outer" : t.u8(o) + " inner",
        "Encrypted Client Hello: the real SNI and ALPN travel encrypted inside"));
    if (kind != 0) {
      return;
    }
    t.leaf(2, "KDF", o -> TlsNames.hex(t.u16(o)), null);
    t.leaf(2, "AEAD", o -> TlsNames.hex(t.u16(o)), null);
    t.leaf(1, "config_id", o -> String.valueOf(t.u8(o)), null);
    int n = t.vector(2, "enc", null);
    t.leaf(n, "enc", o -> n + " bytes", null);
    t.close();
    int p = t.vector(2, "payload", null);
    t.leaf(p, "encrypted inner ClientHello", o -> p + " bytes",
        "the real ClientHello, encrypted to the server's ECH key");
    t.close();
  }

  private void codes(int lengthBytes, String name, IntFunction<String> names) {
    t.vector(lengthBytes, name + " list", null);
    while (t.remaining() >= 2) {
      t.leaf(2, name, o -> code(t.u16(o), names), greaseAbout(t.peek16()));
    }
    t.end("odd byte in " + name + " list");
  }

  private static String greaseAbout(int value) {
    return TlsNames.isGrease(value)
        ? "GREASE (RFC 8701): a reserved value sent to keep servers tolerant; means nothing"
        : null;
  }

  private static String code(int value, IntFunction<String> names) {
    return TlsNames.hex(value) + " " + names.apply(value);
  }

  private static String version(int v) {
    return TlsNames.hex(v) + " " + TlsNames.version(v);
  }

  private static String hexByte(int v) {
    return String.format("0x%02x", v);
  }
}
