package dev.plainsight.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The few primitives the CA needs, all on the JDK's own providers: EC P-256 key pairs, random
 * serials, signing a BouncyCastle certificate builder into an {@link X509Certificate}, and
 * checking that a private key belongs to a public key. BouncyCastle is used as a library only; no
 * provider is registered. (Summaries of certificates for flows are {@code
 * capture.Certificates}: this class only makes and checks them.)
 */
final class CaPrimitives {
  static final SecureRandom RANDOM = new SecureRandom();

  private CaPrimitives() {}

  static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no EC P-256 support", e);
    }
  }

  /** A positive 127-bit serial: unique in practice, and within the 20 octets RFC 5280 allows. */
  static BigInteger randomSerial() {
    return new BigInteger(127, RANDOM).setBit(0);
  }

  static String signatureAlgorithm(PrivateKey key) {
    switch (key.getAlgorithm()) {
      case "EC":
        return "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      default:
        throw new IllegalArgumentException(
            "a " + key.getAlgorithm() + " key cannot sign certificates here: use an EC or RSA key");
    }
  }

  static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      var signer = new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a certificate", e);
    }
  }

  static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
    try {
      String algorithm = signatureAlgorithm(privateKey);
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "2020-01-01", the UTC day of a certificate date. */
  static String day(Date date) {
    return LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC).toString();
  }

  static boolean isSelfSigned(X509Certificate cert) {
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(cert.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
