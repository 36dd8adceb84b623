package dev.plainsight.demo;

import dev.plainsight.ca.CaException;
import dev.plainsight.ca.KeyFiles;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo site's own CA: it plays the part of a public CA (Let's Encrypt, say) that the real
 * server's certificate comes from. It is <em>not</em> the Plainsight CA, so the lesson can show
 * the two issuers side by side. Plainsight trusts it upstream; learners never need to.
 *
 * <p>{@link #loadOrCreate} keeps it in one directory as {@code demo-ca.pem} (certificate) and
 * {@code demo-ca-key.pem} (PKCS#8 key, owner-only), loading both or creating both, never replacing
 * one. {@link #serverContext} then issues a fresh leaf (EC P-256, 90 days) for the given names and
 * returns a TLS server context presenting {@code [leaf, ca]}.
 */
final class DemoCa {
  static final String CERT_FILE = "demo-ca.pem";
  static final String KEY_FILE = "demo-ca-key.pem";
  static final String CA_NAME = "Demo Web Root CA";
  private static final String ORGANIZATION = "Plainsight demo site (plays a public CA)";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Path certificatePath;

  private DemoCa(X509Certificate certificate, PrivateKey key, Path certificatePath) {
    this.certificate = certificate;
    this.key = key;
    this.certificatePath = certificatePath;
  }

  static DemoCa loadOrCreate(Path dir) throws CaException {
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    boolean hasCert = Files.exists(cert);
    boolean hasKey = Files.exists(key);
    if (hasCert && hasKey) {
      return load(cert, key);
    }
    if (hasCert || hasKey) {
      throw new CaException("the demo CA in " + dir + " is incomplete (" + (hasCert ? key : cert)
          + " is missing): delete " + dir + " and start again to generate a new demo CA");
    }
    return create(dir, cert, key);
  }

  X509Certificate certificate() {
    return certificate;
  }

  Path certificatePath() {
    return certificatePath;
  }

  /** A TLS server context presenting a new leaf for these host names and IP literals. */
  SSLContext serverContext(List<String> namesAndIps) {
    KeyPair leafKeys = newEcKeyPair();
    X509Certificate leaf = issueLeaf(leafKeys.getPublic(), namesAndIps);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("demo-site", leafKeys.getPrivate(), password,
          new X509Certificate[] {leaf, certificate});
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build the demo site's TLS context", e);
    }
  }

  /** A TLS client context that trusts only {@code root}. */
  static SSLContext clientContextTrusting(X509Certificate root) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("root", root);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build a TLS client context", e);
    }
  }

  private X509Certificate issueLeaf(PublicKey leafKey, List<String> namesAndIps) {
    GeneralName[] sans = namesAndIps.stream()
        .map(n -> new GeneralName(isIpLiteral(n) ? GeneralName.iPAddress : GeneralName.dNSName, n))
        .toArray(GeneralName[]::new);
    Instant now = Instant.now();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, namesAndIps.get(0)).build();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
              Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(90))),
              subject, leafKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
          .addExtension(Extension.authorityKeyIdentifier, false,
              new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      return sign(builder, key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not issue the demo site's certificate", e);
    }
  }

  private static DemoCa load(Path certPath, Path keyPath) throws CaException {
    String startOver = ": delete both files to generate a new demo CA";
    X509Certificate cert;
    PrivateKey key;
    try (Reader certReader = Files.newBufferedReader(certPath, StandardCharsets.US_ASCII);
        PEMParser certs = new PEMParser(certReader);
        Reader keyReader = Files.newBufferedReader(keyPath, StandardCharsets.US_ASCII);
        PEMParser keys = new PEMParser(keyReader)) {
      cert = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) certs.readObject());
      key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) keys.readObject());
    } catch (IOException | GeneralSecurityException | ClassCastException | NullPointerException e) {
      throw new CaException(certPath + " or " + keyPath + " is not a readable demo CA (" + e.getMessage()
          + ")" + startOver, e);
    }
    if (!KeyFiles.keyMatches(key, cert.getPublicKey())) {
      throw new CaException(keyPath + " does not belong to " + certPath + startOver);
    }
    try {
      cert.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new CaException(certPath + " is not valid now (" + e.getMessage() + ")" + startOver, e);
    }
    return new DemoCa(cert, key, certPath);
  }

  private static DemoCa create(Path dir, Path certPath, Path keyPath) throws CaException {
    KeyPair pair = newEcKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, ORGANIZATION)
        .addRDN(BCStyle.CN, CA_NAME)
        .build();
    Instant now = Instant.now();
    X509Certificate cert;
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
              Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))),
              name, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
      cert = sign(builder, pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not build the demo CA certificate", e);
    }
    try {
      Files.createDirectories(dir);
      KeyFiles.writeNew(keyPath, KeyFiles.pem(pair.getPrivate()), "rw-------");
      KeyFiles.writeNew(certPath, KeyFiles.pem(cert), "rw-r--r--");
    } catch (FileAlreadyExistsException e) {
      throw new CaException(e.getFile() + " appeared while the demo CA was being created (is another "
          + "Plainsight starting?): start again", e);
    } catch (IOException e) {
      throw new CaException("cannot write the demo CA into " + dir + " (" + e + "): choose a writable"
          + " CA directory", e);
    }
    return new DemoCa(cert, pair.getPrivate(), certPath);
  }

  static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  private static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java has no EC P-256 support", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(0);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

}
