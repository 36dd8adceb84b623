package dev.plainsight.ca;

import java.security.cert.CertPath;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Explains, in words a learner understands, why the JDK refused a server's certificate chain:
 * wrong host, unknown or self-signed issuer, expired, weak algorithm. The JDK's exception only
 * says which check failed; the names, issuers and dates come from the chain itself.
 */
final class UpstreamFailureReasons {
  private static final int NAMES_SHOWN = 5;

  private UpstreamFailureReasons() {}

  static String explain(X509Certificate[] chain, String host, CertificateException failure) {
    try {
      return reason(chain, host, failure);
    } catch (RuntimeException e) {
      return "the server's certificate was rejected: " + failure.getMessage();
    }
  }

  private static String reason(X509Certificate[] chain, String host, CertificateException failure) {
    if (chain == null || chain.length == 0) {
      return "the server sent no certificate";
    }
    String names = names(chain[0]);
    CertPathValidatorException invalid = cause(failure, CertPathValidatorException.class);
    boolean pathProblem = invalid != null || cause(failure, CertPathBuilderException.class) != null
        || String.valueOf(failure.getMessage()).contains("certification path");
    if (!pathProblem && isNameMismatch(failure)) {
      return "certificate for " + names + " does not match " + host;
    }
    if (invalid != null) {
      X509Certificate culprit = culprit(invalid);
      CertPathValidatorException.Reason why = invalid.getReason();
      if (why == BasicReason.EXPIRED || why == BasicReason.NOT_YET_VALID) {
        return outOfDate(culprit != null ? culprit : firstOutOfDate(chain), chain[0], names);
      }
      if (why == BasicReason.ALGORITHM_CONSTRAINED) {
        return "certificate for " + names + " uses an algorithm or key size Java no longer accepts ("
            + invalid.getMessage() + ")";
      }
      if (why == BasicReason.INVALID_SIGNATURE) {
        return "certificate for " + names + " carries a signature that does not verify";
      }
      if (why == BasicReason.REVOKED) {
        return "certificate for " + names + " has been revoked by its CA";
      }
      if (why == PKIXReason.NOT_CA_CERT && culprit != null) {
        return cn(culprit.getSubjectX500Principal()) + " signed the certificate for " + names
            + " but is not a CA";
      }
    }
    if (cause(failure, CertificateExpiredException.class) != null
        || cause(failure, CertificateNotYetValidException.class) != null) {
      X509Certificate culprit = firstOutOfDate(chain);
      if (culprit != null) {
        return outOfDate(culprit, chain[0], names);
      }
    }
    if (pathProblem) {
      return untrusted(chain, names);
    }
    return "certificate for " + names + " was rejected: " + failure.getMessage();
  }

  private static String untrusted(X509Certificate[] chain, String names) {
    X509Certificate leaf = chain[0];
    X509Certificate top = chain[chain.length - 1];
    X509Certificate stale = firstOutOfDate(chain);
    String also = stale == null ? "" : "; besides, " + outOfDate(stale, leaf, names);
    if (CaPrimitives.isSelfSigned(leaf)) {
      return "self-signed certificate " + cn(leaf.getSubjectX500Principal())
          + ": no trusted CA vouches for it" + also;
    }
    if (CaPrimitives.isSelfSigned(top)) {
      return "unknown issuer: the certificate for " + names + (chain.length == 2 ? " is signed by " : " chains up to ")
          + cn(top.getSubjectX500Principal()) + ", which is not a trusted CA" + also;
    }
    return "unknown issuer: the certificate for " + names + (top == leaf ? " is signed by " : " chains up to ")
        + cn(top.getIssuerX500Principal()) + ", which is not a trusted CA (or the server did not send"
        + " its intermediate certificate)" + also;
  }

  private static String outOfDate(X509Certificate culprit, X509Certificate leaf, String names) {
    if (culprit == null) {
      return "certificate for " + names + " is outside its validity period";
    }
    String which = culprit == leaf || culprit.equals(leaf)
        ? "certificate for " + names
        : "the CA certificate " + cn(culprit.getSubjectX500Principal()) + " (in the chain for " + names + ")";
    Date now = new Date();
    if (now.after(culprit.getNotAfter())) {
      return which + " expired on " + CaPrimitives.day(culprit.getNotAfter());
    }
    return which + " is not valid until " + CaPrimitives.day(culprit.getNotBefore())
        + " (is this computer's clock right?)";
  }

  private static X509Certificate firstOutOfDate(X509Certificate[] chain) {
    Date now = new Date();
    for (X509Certificate cert : chain) {
      if (now.after(cert.getNotAfter()) || now.before(cert.getNotBefore())) {
        return cert;
      }
    }
    return null;
  }

  private static X509Certificate culprit(CertPathValidatorException e) {
    CertPath path = e.getCertPath();
    int index = e.getIndex();
    if (path == null || index < 0 || index >= path.getCertificates().size()) {
      return null;
    }
    Certificate cert = path.getCertificates().get(index);
    return cert instanceof X509Certificate ? (X509Certificate) cert : null;
  }

  private static boolean isNameMismatch(CertificateException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith("No subject alternative") || message.startsWith("No name matching");
  }

  /** The DNS and IP names a certificate covers ("a.example, b.example and 3 more"), else its CN. */
  static String names(X509Certificate cert) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == 2 || type == 7) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // fall back to the subject below
    }
    if (names.isEmpty()) {
      return cn(cert.getSubjectX500Principal()) + " (which lists no alternative names)";
    }
    List<String> shown = new ArrayList<>(names).subList(0, Math.min(NAMES_SHOWN, names.size()));
    String list = String.join(", ", shown);
    return names.size() > NAMES_SHOWN ? list + " and " + (names.size() - NAMES_SHOWN) + " more" : list;
  }

  /** "CN=Example CA" when the name has a common name, else the whole distinguished name. */
  static String cn(X500Principal principal) {
    RDN[] cns = X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.CN);
    if (cns.length == 0) {
      return principal.getName(X500Principal.RFC2253);
    }
    return "CN=" + IETFUtils.valueToString(cns[0].getFirst().getValue());
  }

  private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
