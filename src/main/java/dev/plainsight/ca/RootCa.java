package dev.plainsight.ca;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The workshop root CA, kept in one directory as {@code ca.pem} (the certificate: public, what
 * learners trust) and {@code ca-key.pem} (its PKCS#8 private key: owner-only, never shared).
 *
 * <p>{@link #loadOrCreate} loads both files, or generates a new CA when neither exists (EC P-256,
 * a random name suffix and serial, CA:true pathLen 0, valid from one hour ago for ten years). It
 * never overwrites or silently replaces a file: one file missing, a corrupt file, a key that does
 * not match, a certificate that is not a CA or has expired each end in a {@link CaException} that
 * says what to do. Instances are immutable.
 *
 * <p>The same class keeps other roots too ({@link Identity}): the demo site's "Demo Web Root CA",
 * which plays a public CA, is a {@code RootCa} with its own file names and subject.
 */
public final class RootCa {
  static final String CERT_FILE = "ca.pem";
  static final String KEY_FILE = "ca-key.pem";
  static final String ORGANIZATION = "Plainsight (teaching proxy)";

  /**
   * Which root: its two file names, its subject (a random suffix is appended to the common name
   * when {@code uniqueSuffix}, so two rooms' CAs never look alike) and how messages call it.
   */
  public record Identity(String certificateFile, String keyFile, String organization,
      String commonName, boolean uniqueSuffix, String label) {}

  /** The workshop CA learners trust. */
  public static final Identity PLAINSIGHT = new Identity(CERT_FILE, KEY_FILE, ORGANIZATION,
      "Plainsight CA", true, "the Plainsight CA");
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final int VALIDITY_YEARS = 10;

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final Path certificatePath;
  private final byte[] der;

  private RootCa(X509Certificate certificate, PrivateKey privateKey, Path certificatePath) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.certificatePath = certificatePath;
    try {
      this.der = certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RootCa loadOrCreate(Path dir) throws CaException {
    return loadOrCreate(dir, PLAINSIGHT);
  }

  /** Loads or creates the root {@code identity} names in {@code dir}. */
  public static RootCa loadOrCreate(Path dir, Identity identity) throws CaException {
    Path cert = dir.resolve(identity.certificateFile());
    Path key = dir.resolve(identity.keyFile());
    for (Path file : new Path[] {cert, key}) {
      if (Files.isDirectory(dir) && !Files.exists(file) && !Files.notExists(file)) {
        throw new CaException("cannot read " + file + " (permission denied on it or its "
            + "directory): run Plainsight as the user who owns " + dir + ", or pass another --ca-dir");
      }
    }
    boolean hasCert = Files.exists(cert);
    boolean hasKey = Files.exists(key);
    if (hasCert && hasKey) {
      RootCa loaded = load(cert, key, identity);
      KeyFiles.warnIfExposed(key);
      return loaded;
    }
    if (hasCert) {
      throw new CaException(key + " is missing but " + cert + " exists: restore it or delete "
          + cert + " to generate a new CA");
    }
    if (hasKey) {
      throw new CaException(cert + " is missing but " + key + " exists: restore it or delete "
          + key + " to generate a new CA");
    }
    return create(dir, cert, key, identity);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public Path certificatePath() {
    return certificatePath;
  }

  /** SHA-256 over the DER, as "AB:CD:...". */
  public String sha256Fingerprint() {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(CaPrimitives.sha256(der));
  }

  /** Base64 SHA-256 of the SubjectPublicKeyInfo, for Chromium's --ignore-certificate-errors-spki-list. */
  public String spkiSha256Base64() {
    return Base64.getEncoder().encodeToString(CaPrimitives.sha256(certificate.getPublicKey().getEncoded()));
  }

  public byte[] certificateDer() {
    return der.clone();
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  private static RootCa load(Path certPath, Path keyPath, Identity identity) throws CaException {
    String startOver = "delete both " + certPath + " and " + keyPath + " to generate a new CA";
    X509Certificate cert;
    PrivateKey key;
    try {
      cert = Pem.readCertificates(certPath).get(0);
      key = Pem.readPrivateKey(keyPath);
    } catch (CaException e) {
      throw new CaException(e.getMessage() + ": restore it, or " + startOver, e);
    }
    if (cert.getBasicConstraints() < 0) {
      throw new CaException(certPath + " is not a CA certificate (it lacks basicConstraints CA:true): "
          + "restore " + identity.label() + ", or " + startOver);
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null && !usage[5]) {
      throw new CaException(certPath + " is a CA certificate not allowed to sign certificates "
          + "(its keyUsage lacks keyCertSign): restore " + identity.label() + ", or " + startOver);
    }
    try {
      CaPrimitives.signatureAlgorithm(key);
    } catch (IllegalArgumentException e) {
      throw new CaException(keyPath + " holds a " + key.getAlgorithm() + " key, which Plainsight cannot sign"
          + " with: use an EC or RSA CA, or " + startOver, e);
    }
    if (!CaPrimitives.keyMatches(key, cert.getPublicKey())) {
      throw new CaException(keyPath + " does not belong to the certificate in " + certPath
          + ": restore the matching key, or " + startOver);
    }
    try {
      cert.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new CaException(certPath + " expired on " + CaPrimitives.day(cert.getNotAfter())
          + ": " + startOver + ", then trust the new one", e);
    } catch (CertificateNotYetValidException e) {
      throw new CaException(certPath + " is not valid before " + CaPrimitives.day(cert.getNotBefore())
          + ": check this computer's clock", e);
    }
    return new RootCa(cert, key, certPath);
  }

  private static RootCa create(Path dir, Path certPath, Path keyPath, Identity identity)
      throws CaException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CaException(dir + " is a file, not a directory: move it away or choose another CA directory");
    }
    KeyPair pair = CaPrimitives.newEcKeyPair();
    X509Certificate cert = selfSign(pair, identity);
    try {
      Files.createDirectories(dir);
      KeyFiles.writeNew(keyPath, Pem.privateKey(pair.getPrivate()), "rw-------");
      try {
        KeyFiles.writeNew(certPath, Pem.certificate(cert), "rw-r--r--");
      } catch (IOException e) {
        Files.deleteIfExists(keyPath); // ours, written just above: do not leave half a CA behind
        throw e;
      }
    } catch (FileAlreadyExistsException e) {
      throw new CaException(e.getFile() + " appeared while Plainsight was creating a CA (is another "
          + "Plainsight starting?): start again", e);
    } catch (IOException e) {
      throw new CaException("cannot write the CA into " + dir + " (" + e + "): choose a writable directory", e);
    }
    return new RootCa(cert, pair.getPrivate(), certPath);
  }

  private static X509Certificate selfSign(KeyPair pair, Identity identity) {
    byte[] suffix = new byte[4];
    CaPrimitives.RANDOM.nextBytes(suffix);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, identity.organization())
        .addRDN(BCStyle.CN, identity.commonName()
            + (identity.uniqueSuffix() ? " " + HexFormat.of().formatHex(suffix) : ""))
        .build();
    Instant now = Instant.now();
    Instant notAfter = ZonedDateTime.ofInstant(now, ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, CaPrimitives.randomSerial(),
              Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
      return CaPrimitives.sign(builder, pair.getPrivate());
    } catch (CertIOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("could not build the CA certificate", e);
    }
  }


}
