package dev.plainsight.join;

import dev.plainsight.ca.KeyFiles;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** A CA certificate offered for download: its name, SHA-256 fingerprint, PEM and DER. */
public record OfferedCa(String name, String sha256Fingerprint, String pem, byte[] der) {
  public static OfferedCa of(X509Certificate certificate) {
    try {
      byte[] der = certificate.getEncoded();
      String fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(der));
      return new OfferedCa(JoinPage.commonName(certificate.getSubjectX500Principal().getName()),
          fingerprint, KeyFiles.pem(certificate), der);
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot encode the certificate " + certificate, e);
    }
  }

  @Override
  public byte[] der() {
    return der.clone();
  }
}
