package dev.plainsight.tls;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Reads a TLS 1.2 Certificate message body: a u24 list of u24-prefixed DER certificates, each
 * decoded with the JDK's X.509 {@link CertificateFactory}. At most {@link #MAX_CERTIFICATES} are
 * kept; one that does not decode is noted and skipped.
 */
final class CertificateParser {

  static final int MAX_CERTIFICATES = 10;

  private CertificateParser() {}

  static List<CertificateInfo> parse(byte[] body, List<String> notes) {
    List<CertificateInfo> out = new ArrayList<>();
    try {
      ByteCursor list = ByteCursor.of(body);
      int total = list.u24("certificate_list length");
      ByteCursor certs = list.sub(total, "certificate_list");
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      int index = 0;
      while (certs.hasRemaining() && out.size() < MAX_CERTIFICATES) {
        byte[] der = certs.bytes(certs.u24("certificate length"), "certificate");
        index++;
        try {
          out.add(describe(factory, der));
        } catch (CertificateException | RuntimeException e) {
          notes.add("server certificate #" + index + " (" + der.length + " bytes) does not decode: "
              + e.getMessage());
        }
      }
      if (certs.hasRemaining()) {
        notes.add("server chain has more than " + MAX_CERTIFICATES + " certificates: kept the first "
            + MAX_CERTIFICATES);
      }
    } catch (ByteCursor.Malformed e) {
      notes.add("malformed Certificate message: " + e.getMessage());
    } catch (CertificateException e) {
      notes.add("no X.509 support in this JDK: " + e.getMessage());
    }
    return out;
  }

  private static CertificateInfo describe(CertificateFactory factory, byte[] der)
      throws CertificateException {
    X509Certificate cert =
        (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    return new CertificateInfo(
        cert.getSubjectX500Principal().getName(X500Principal.RFC2253),
        cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
        subjectAltNames(cert),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        fingerprint(der));
  }

  private static List<String> subjectAltNames(X509Certificate cert)
      throws CertificateParsingException {
    Collection<List<?>> names = cert.getSubjectAlternativeNames();
    List<String> out = new ArrayList<>();
    if (names == null) {
      return out;
    }
    for (List<?> entry : names) {
      if (entry.size() >= 2 && entry.get(0) instanceof Integer kind) {
        Object value = entry.get(1);
        out.add(prefix(kind) + (value instanceof String s ? s : "<binary>"));
      }
    }
    return out;
  }

  private static String prefix(int kind) {
    return switch (kind) {
      case 1 -> "email:";
      case 2 -> "DNS:";
      case 4 -> "DirName:";
      case 6 -> "URI:";
      case 7 -> "IP:";
      case 8 -> "RID:";
      default -> "othername:";
    };
  }

  static String fingerprint(byte[] der) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      return null;
    }
  }
}
