package dev.plainsight.tls;

import java.util.List;

/**
 * What a ServerHello shows in clear. {@code version} comes from supported_versions when present
 * ("TLS 1.3"), else from the legacy field. {@code keyShareGroup} is the key_share group under TLS
 * 1.3 (the group asked for, in a HelloRetryRequest) or, under TLS 1.2, the named curve of a plaintext
 * ECDHE ServerKeyExchange; null when unknown. {@code alpn} is null under TLS 1.3, where the choice
 * travels in the encrypted EncryptedExtensions.
 */
public record ServerHello(
    String version,
    String random,
    String cipherSuite,
    int cipherSuiteId,
    String keyShareGroup,
    boolean helloRetryRequest,
    String alpn,
    List<Integer> extensionTypes) {

  public ServerHello {
    extensionTypes = extensionTypes == null ? List.of() : List.copyOf(extensionTypes);
  }

  public ServerHello withKeyShareGroup(String group) {
    return new ServerHello(version, random, cipherSuite, cipherSuiteId, group, helloRetryRequest,
        alpn, extensionTypes);
  }

  public boolean isTls13() {
    return "TLS 1.3".equals(version);
  }
}
