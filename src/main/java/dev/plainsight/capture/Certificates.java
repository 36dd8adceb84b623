package dev.plainsight.capture;

import dev.plainsight.flow.CertificateSummary;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Turns X.509 certificates into the summaries flows carry. */
public final class Certificates {
  private Certificates() {}

  public static List<CertificateSummary> summarize(Certificate[] chain) {
    List<CertificateSummary> out = new ArrayList<>();
    if (chain != null) {
      for (Certificate cert : chain) {
        if (cert instanceof X509Certificate x509) {
          out.add(summarize(x509));
        }
      }
    }
    return out;
  }

  public static CertificateSummary summarize(X509Certificate cert) {
    return new CertificateSummary(
        cert.getSubjectX500Principal().getName(),
        cert.getIssuerX500Principal().getName(),
        subjectAltNames(cert),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        sha256Fingerprint(cert));
  }

  public static String sha256Fingerprint(X509Certificate cert) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return "unavailable: " + e.getMessage();
    }
  }

  private static List<String> subjectAltNames(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          String prefix = type == 2 ? "DNS:" : type == 7 ? "IP:" : "type" + type + ":";
          names.add(prefix + String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
        }
      }
    } catch (CertificateParsingException e) {
      names.add("unreadable: " + e.getMessage());
    }
    return names;
  }
}
