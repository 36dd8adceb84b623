package dev.plainsight.tls;

import java.time.Instant;
import java.util.List;

/**
 * A certificate read from a plaintext TLS 1.2 Certificate message. Names are RFC 2253 strings;
 * subject alternative names are prefixed by kind ("DNS:example.com", "IP:127.0.0.1"); the
 * fingerprint is the SHA-256 of the DER bytes as colon-separated upper-case hex.
 */
public record CertificateInfo(
    String subject,
    String issuer,
    List<String> subjectAltNames,
    Instant notBefore,
    Instant notAfter,
    String sha256Fingerprint) {

  public CertificateInfo {
    subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
  }

  public boolean selfIssued() {
    return subject != null && subject.equals(issuer);
  }
}
