package dev.plainsight.tls;

import java.util.List;

/**
 * What a ClientHello shows in clear. GREASE values (RFC 8701) are left out of every list and
 * reported by {@code greaseSeen}. Versions, groups and schemes are names from {@link TlsNames};
 * {@code random} and {@code sessionId} are lower-case hex; {@code sni} is null when absent; {@code
 * echOffered} means an encrypted_client_hello extension is present (a real one and Chromium's
 * GREASE ECH look the same on the wire). {@code length} is the handshake body length.
 */
public record ClientHello(
    String legacyVersion,
    String random,
    String sessionId,
    List<CipherSuite> cipherSuites,
    String sni,
    List<String> alpn,
    List<String> supportedVersions,
    List<String> supportedGroups,
    List<String> keyShareGroups,
    List<String> signatureAlgorithms,
    boolean echOffered,
    boolean greaseSeen,
    List<Integer> extensionTypes,
    int length) {

  public ClientHello {
    cipherSuites = copy(cipherSuites);
    alpn = copy(alpn);
    supportedVersions = copy(supportedVersions);
    supportedGroups = copy(supportedGroups);
    keyShareGroups = copy(keyShareGroups);
    signatureAlgorithms = copy(signatureAlgorithms);
    extensionTypes = copy(extensionTypes);
  }

  /** Extension names in the order offered, e.g. "server_name", "key_share". */
  public List<String> extensionNames() {
    return extensionTypes.stream().map(TlsNames::extension).toList();
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
