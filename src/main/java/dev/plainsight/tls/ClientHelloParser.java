package dev.plainsight.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Reads a ClientHello body (the bytes after the 4-byte handshake header). Best effort: when a length
 * does not add up it adds a note and returns the fields read so far; a malformed extension is noted
 * and skipped. GREASE values are dropped from every list and set {@code greaseSeen}.
 */
final class ClientHelloParser {

  private String legacyVersion;
  private String random;
  private String sessionId;
  private final List<CipherSuite> suites = new ArrayList<>();
  private String sni;
  private final List<String> alpn = new ArrayList<>();
  private final List<String> versions = new ArrayList<>();
  private final List<String> groups = new ArrayList<>();
  private final List<String> keyShares = new ArrayList<>();
  private final List<String> signatures = new ArrayList<>();
  private boolean ech;
  private boolean grease;
  private final List<Integer> extensionTypes = new ArrayList<>();

  private ClientHelloParser() {}

  static ClientHello parse(byte[] body, List<String> notes) {
    ClientHelloParser p = new ClientHelloParser();
    try {
      p.read(ByteCursor.of(body), notes);
    } catch (ByteCursor.Malformed e) {
      notes.add("malformed ClientHello (" + body.length + " bytes): " + e.getMessage());
    }
    return new ClientHello(p.legacyVersion, p.random, p.sessionId, p.suites, p.sni, p.alpn,
        p.versions, p.groups, p.keyShares, p.signatures, p.ech, p.grease, p.extensionTypes,
        body.length);
  }

  private void read(ByteCursor in, List<String> notes) {
    legacyVersion = TlsNames.version(in.u16("legacy_version"));
    random = in.hex(32, "random");
    ByteCursor session = in.vector(1, "session_id");
    sessionId = session.hex(session.remaining(), "session_id");
    ByteCursor suiteList = in.vector(2, "cipher_suites");
    while (suiteList.remaining() >= 2) {
      int id = suiteList.u16("cipher suite");
      if (!grease(id)) {
        suites.add(CipherSuite.of(id));
      }
    }
    in.vector(1, "compression_methods");
    if (!in.hasRemaining()) {
      return;
    }
    ByteCursor extensions = in.vector(2, "extensions");
    while (extensions.hasRemaining()) {
      int type = extensions.u16("extension type");
      ByteCursor data = extensions.vector(2, "extension " + TlsNames.extension(type));
      if (grease(type)) {
        continue;
      }
      extensionTypes.add(type);
      try {
        readExtension(type, data);
      } catch (ByteCursor.Malformed e) {
        notes.add("malformed ClientHello extension " + TlsNames.extension(type) + ": "
            + e.getMessage());
      }
    }
  }

  private void readExtension(int type, ByteCursor data) {
    switch (type) {
      case 0 -> readServerName(data.vector(2, "server_name_list"));
      case 10 -> readCodes(data.vector(2, "named_group_list"), groups, TlsNames::group);
      case 13 -> readCodes(data.vector(2, "supported_signature_algorithms"), signatures,
          TlsNames::signatureScheme);
      case 16 -> readAlpn(data.vector(2, "protocol_name_list"));
      case 43 -> readCodes(data.vector(1, "versions"), versions, TlsNames::version);
      case 51 -> readKeyShares(data.vector(2, "client_shares"));
      case 0xfe0d -> ech = true;
      default -> { }
    }
  }

  private void readServerName(ByteCursor list) {
    while (list.hasRemaining()) {
      int nameType = list.u8("name_type");
      ByteCursor name = list.vector(2, "host_name");
      if (nameType == 0 && sni == null) {
        sni = name.ascii(name.remaining(), "host_name");
      }
    }
  }

  private void readAlpn(ByteCursor list) {
    while (list.hasRemaining()) {
      ByteCursor name = list.vector(1, "protocol_name");
      alpn.add(name.ascii(name.remaining(), "protocol_name"));
    }
  }

  private void readKeyShares(ByteCursor list) {
    while (list.hasRemaining()) {
      int group = list.u16("key_share group");
      list.vector(2, "key_exchange");
      if (!grease(group)) {
        keyShares.add(TlsNames.group(group));
      }
    }
  }

  private void readCodes(ByteCursor list, List<String> out, IntFunction<String> name) {
    while (list.remaining() >= 2) {
      int code = list.u16("code point");
      if (!grease(code)) {
        out.add(name.apply(code));
      }
    }
  }

  private boolean grease(int value) {
    if (TlsNames.isGrease(value)) {
      grease = true;
      return true;
    }
    return false;
  }
}
