package dev.plainsight.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA made in the test, issuing server certificates (EC P-256, SHA256withECDSA, made
 * with BouncyCastle on the JDK's providers). Independent of Plainsight's own CA code, so tests of
 * that code are checked against something else. Nothing is written to disk unless asked. Failures
 * are unchecked: a broken fixture should fail the test, not clutter it.
 *
 * <p>Typical use: {@code TestPki pki = TestPki.create("Origin CA"); ServerIdentity origin =
 * pki.issue("localhost", "127.0.0.1"); SSLContext server = origin.serverContext(); SSLContext
 * client = pki.clientContextTrusting();}
 */
public final class TestPki {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final String caName;

  /** A server's key and chain {@code [leaf, issuer...]}. */
  public record ServerIdentity(PrivateKey key, X509Certificate[] chain) {
    public X509Certificate certificate() {
      return chain[0];
    }

    /** A TLSv1.3+1.2 server context that presents this identity to every client. */
    public SSLContext serverContext() {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("server", key, password, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }

    public String keyPem() {
      try {
        return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String certificatePem() {
      return pem(chain[0]);
    }
  }

  private TestPki(String caName, Instant notBefore, Instant notAfter) {
    this.caName = caName;
    this.caKeys = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, caName).build();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
              Date.from(notBefore), Date.from(notAfter), name, caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic()));
      this.caCertificate = sign(builder, caKeys.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CA valid from an hour ago for a year. */
  public static TestPki create(String caName) {
    return create(caName, Duration.ofDays(365));
  }

  /** A CA valid from an hour ago until {@code validity} from now (negative: already expired). */
  public static TestPki create(String caName, Duration validity) {
    Instant now = Instant.now();
    return new TestPki(caName, now.minus(Duration.ofHours(1)), now.plus(validity));
  }

  /** A CA valid exactly from {@code notBefore} to {@code notAfter}. */
  public static TestPki create(String caName, Instant notBefore, Instant notAfter) {
    return new TestPki(caName, notBefore, notAfter);
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  public PrivateKey caKey() {
    return caKeys.getPrivate();
  }

  public String caCertificatePem() {
    return pem(caCertificate);
  }

  /** Writes the CA certificate as {@code dir/<ca-name>.pem} (dir created if needed), for --upstream-ca. */
  public Path writeCaPem(Path dir) {
    String slug = caName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve((slug.isEmpty() ? "ca" : slug) + ".pem"), caCertificatePem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server leaf for the given names (an IP literal becomes an iPAddress SAN), valid now-1h..+30d. */
  public ServerIdentity issue(String... namesOrIps) {
    Instant now = Instant.now();
    return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), namesOrIps);
  }

  /** A server leaf that expired yesterday (valid from 60 days ago). */
  public ServerIdentity issueExpired(String... names) {
    Instant now = Instant.now();
    return issue(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)), names);
  }

  /** A leaf signed by its own key, with the given names, valid now-1h..+30d. */
  public static ServerIdentity selfSigned(String... names) {
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    X500Name subject = cn(names);
    X509v3CertificateBuilder builder = leafBuilder(subject, subject, now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(30)), keys.getPublic(), names);
    return new ServerIdentity(keys.getPrivate(), new X509Certificate[] {sign(builder, keys.getPrivate())});
  }

  /** A TLS client context trusting only the given roots, or this CA if none are given. */
  public SSLContext clientContextTrusting(X509Certificate... roots) {
    X509Certificate[] anchors = roots.length == 0 ? new X509Certificate[] {caCertificate} : roots;
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < anchors.length; i++) {
        store.setCertificateEntry("root-" + i, anchors[i]);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ServerIdentity issue(Instant notBefore, Instant notAfter, String... namesOrIps) {
    KeyPair keys = newKeyPair();
    X509v3CertificateBuilder builder = leafBuilder(
        X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), cn(namesOrIps),
        notBefore, notAfter, keys.getPublic(), namesOrIps);
    X509Certificate leaf = sign(builder, caKeys.getPrivate());
    return new ServerIdentity(keys.getPrivate(), new X509Certificate[] {leaf, caCertificate});
  }

  private static X509v3CertificateBuilder leafBuilder(X500Name issuer, X500Name subject, Instant notBefore,
      Instant notAfter, PublicKey key, String... namesOrIps) {
    if (namesOrIps.length == 0) {
      throw new IllegalArgumentException("give at least one name or IP");
    }
    GeneralName[] sans = new GeneralName[namesOrIps.length];
    for (int i = 0; i < sans.length; i++) {
      boolean ip = namesOrIps[i].contains(":") || namesOrIps[i].matches("[0-9.]+");
      sans[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, namesOrIps[i]);
    }
    try {
      return new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore), Date.from(notAfter),
              subject, key)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X500Name cn(String... names) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names[0]).build();
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(0);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
