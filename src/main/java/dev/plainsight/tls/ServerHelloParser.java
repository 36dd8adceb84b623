package dev.plainsight.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a ServerHello body (after the 4-byte handshake header), recognising a HelloRetryRequest by
 * its fixed random, SHA-256("HelloRetryRequest"). Best effort: when a length does not add up it adds
 * a note and returns the fields read so far.
 */
final class ServerHelloParser {

  static final String HRR_RANDOM =
      "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";

  private int legacyVersion = -1;
  private int selectedVersion = -1;
  private String random;
  private int suite = -1;
  private String keyShareGroup;
  private String alpn;
  private final List<Integer> extensionTypes = new ArrayList<>();

  private ServerHelloParser() {}

  static ServerHello parse(byte[] body, List<String> notes) {
    ServerHelloParser p = new ServerHelloParser();
    try {
      p.read(ByteCursor.of(body), notes);
    } catch (ByteCursor.Malformed e) {
      notes.add("malformed ServerHello (" + body.length + " bytes): " + e.getMessage());
    }
    int version = p.selectedVersion >= 0 ? p.selectedVersion : p.legacyVersion;
    boolean tls13 = version == 0x0304;
    return new ServerHello(
        version >= 0 ? TlsNames.version(version) : null,
        p.random,
        p.suite >= 0 ? TlsNames.cipherSuite(p.suite) : null,
        p.suite,
        p.keyShareGroup,
        HRR_RANDOM.equals(p.random),
        tls13 ? null : p.alpn,
        p.extensionTypes);
  }

  private void read(ByteCursor in, List<String> notes) {
    legacyVersion = in.u16("legacy_version");
    random = in.hex(32, "random");
    in.vector(1, "session_id");
    suite = in.u16("cipher_suite");
    in.u8("compression_method");
    if (!in.hasRemaining()) {
      return;
    }
    ByteCursor extensions = in.vector(2, "extensions");
    while (extensions.hasRemaining()) {
      int type = extensions.u16("extension type");
      ByteCursor data = extensions.vector(2, "extension " + TlsNames.extension(type));
      extensionTypes.add(type);
      try {
        readExtension(type, data);
      } catch (ByteCursor.Malformed e) {
        notes.add("malformed ServerHello extension " + TlsNames.extension(type) + ": "
            + e.getMessage());
      }
    }
  }

  private void readExtension(int type, ByteCursor data) {
    switch (type) {
      case 16 -> {
        ByteCursor list = data.vector(2, "protocol_name_list");
        ByteCursor name = list.vector(1, "protocol_name");
        alpn = name.ascii(name.remaining(), "protocol_name");
      }
      case 43 -> selectedVersion = data.u16("selected_version");
      case 51 -> keyShareGroup = TlsNames.group(data.u16("key_share group"));
      default -> { }
    }
  }
}
