package dev.plainsight.flow;

import java.util.List;

/**
 * TLS facts of a flow. {@code version}, {@code cipher} and {@code alpn} describe the connection the
 * client saw (with the proxy when decrypted); {@code upstreamVersion}/{@code upstreamCipher} and
 * {@code upstreamChain} the proxy's own connection to the real server. {@code alert} is the alert a
 * refusing client sent, e.g. "unknown_ca (48)", or "closed without alert".
 */
public record TlsSummary(
    String version,
    String sni,
    String cipher,
    String alpn,
    String alert,
    CertificateSummary forgedLeaf,
    String upstreamVersion,
    String upstreamCipher,
    List<CertificateSummary> upstreamChain) {

  public TlsSummary {
    upstreamChain = upstreamChain == null ? List.of() : List.copyOf(upstreamChain);
  }
}
