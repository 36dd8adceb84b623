package dev.plainsight.flow;

import java.time.Instant;
import java.util.List;

/** The parts of an X.509 certificate a learner compares: who it names, who signed it, when. */
public record CertificateSummary(
    String subject,
    String issuer,
    List<String> subjectAltNames,
    Instant notBefore,
    Instant notAfter,
    String sha256Fingerprint) {}
