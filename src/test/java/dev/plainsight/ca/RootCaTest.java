package dev.plainsight.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCaTest {
  @TempDir Path temp;

  @Test
  void firstStartGeneratesCertificateAndOwnerOnlyKeyInANewDirectory() throws Exception {
    Path dir = temp.resolve("ca");

    RootCa ca = RootCa.loadOrCreate(dir);

    assertEquals(Set.of("ca.pem", "ca-key.pem"), CaFiles.snapshot(dir).keySet());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))));
    assertTrue(Files.readString(dir.resolve("ca-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
    assertTrue(Files.readString(dir.resolve("ca.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
    assertEquals(dir.resolve("ca.pem"), ca.certificatePath());
    assertEquals(ca.certificatePem(), Files.readString(dir.resolve("ca.pem")));
  }

  @Test
  void generatedCaIsAnEcP256RootThatMaySignOnlyLeaves() throws Exception {
    X509Certificate cert = RootCa.loadOrCreate(temp).certificate();

    assertEquals("EC", cert.getPublicKey().getAlgorithm());
    assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertEquals("SHA256withECDSA", cert.getSigAlgName());
    assertTrue(cert.getSubjectX500Principal().getName()
        .matches("CN=Plainsight CA [0-9a-f]{8},O=Plainsight \\(teaching proxy\\)"), cert.getSubjectX500Principal().getName());
    assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
    cert.verify(cert.getPublicKey());
    assertEquals(0, cert.getBasicConstraints());
    assertTrue(cert.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
    assertArrayEquals(new boolean[] {false, false, false, false, false, true, true, false, false},
        cert.getKeyUsage());
    assertNotNull(cert.getExtensionValue("2.5.29.14"), "subject key identifier");
  }

  @Test
  void generatedCaIsBackdatedAnHourAndValidForTenYears() throws Exception {
    Instant before = Instant.now();
    X509Certificate cert = RootCa.loadOrCreate(temp).certificate();

    Duration backdate = Duration.between(cert.getNotBefore().toInstant(), before);
    assertTrue(backdate.compareTo(Duration.ofMinutes(59)) > 0 && backdate.compareTo(Duration.ofMinutes(61)) < 0,
        backdate::toString);
    Instant tenYears = ZonedDateTime.ofInstant(before, ZoneOffset.UTC).plusYears(10).toInstant();
    assertTrue(Duration.between(tenYears, cert.getNotAfter().toInstant()).abs().compareTo(Duration.ofMinutes(1)) < 0);
  }

  @Test
  void secondStartLoadsTheSameCaAndChangesNoFile() throws Exception {
    RootCa first = RootCa.loadOrCreate(temp);
    Map<String, String> files = CaFiles.snapshot(temp);

    RootCa second = RootCa.loadOrCreate(temp);

    assertEquals(first.sha256Fingerprint(), second.sha256Fingerprint());
    assertEquals(first.privateKey(), second.privateKey());
    assertEquals(files, CaFiles.snapshot(temp));
  }

  @Test
  void twoInstallsGetDifferentCas() throws Exception {
    RootCa one = RootCa.loadOrCreate(temp.resolve("one"));
    RootCa two = RootCa.loadOrCreate(temp.resolve("two"));

    assertNotEquals(one.sha256Fingerprint(), two.sha256Fingerprint());
    assertNotEquals(one.certificate().getSubjectX500Principal(), two.certificate().getSubjectX500Principal());
    assertNotEquals(one.certificate().getSerialNumber(), two.certificate().getSerialNumber());
    assertNotEquals(one.spkiSha256Base64(), two.spkiSha256Base64());
  }

  @Test
  void fingerprintsAreSha256OfTheDerAndOfTheSubjectPublicKeyInfo() throws Exception {
    RootCa ca = RootCa.loadOrCreate(temp);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");

    String expected = HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256.digest(ca.certificate().getEncoded()));
    assertEquals(expected, ca.sha256Fingerprint());
    assertTrue(ca.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    assertEquals(Base64.getEncoder().encodeToString(sha256.digest(ca.certificate().getPublicKey().getEncoded())),
        ca.spkiSha256Base64());
    assertArrayEquals(ca.certificate().getEncoded(), ca.certificateDer());
  }

  @Test
  void missingKeyIsReportedWithWhatToDoAndTheCertificateIsLeftAlone() throws Exception {
    RootCa.loadOrCreate(temp);
    Files.delete(temp.resolve("ca-key.pem"));
    Map<String, String> files = CaFiles.snapshot(temp);

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertEquals(temp.resolve("ca-key.pem") + " is missing but " + temp.resolve("ca.pem") + " exists: restore it or delete "
        + temp.resolve("ca.pem") + " to generate a new CA", e.getMessage());
    assertEquals(files, CaFiles.snapshot(temp));
  }

  @Test
  void missingCertificateIsReportedAndTheKeyIsLeftAlone() throws Exception {
    RootCa.loadOrCreate(temp);
    Files.delete(temp.resolve("ca.pem"));
    Map<String, String> files = CaFiles.snapshot(temp);

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertTrue(e.getMessage().startsWith(temp.resolve("ca.pem") + " is missing but " + temp.resolve("ca-key.pem") + " exists"),
        e.getMessage());
    assertEquals(files, CaFiles.snapshot(temp));
  }

  @Test
  void corruptCertificateIsReportedAndLeftAlone() throws Exception {
    RootCa.loadOrCreate(temp);
    String pem = Files.readString(temp.resolve("ca.pem"));
    Files.writeString(temp.resolve("ca.pem"), pem.substring(0, 40) + "!!not base64!!" + pem.substring(60));
    Map<String, String> files = CaFiles.snapshot(temp);

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertTrue(e.getMessage().startsWith(temp.resolve("ca.pem") + " is corrupt"), e.getMessage());
    assertTrue(e.getMessage().contains("delete both"), e.getMessage());
    assertEquals(files, CaFiles.snapshot(temp));
  }

  @Test
  void certificateFileWithoutPemIsReported() throws Exception {
    RootCa ca = RootCa.loadOrCreate(temp);
    Files.write(temp.resolve("ca.pem"), ca.certificateDer());

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertTrue(e.getMessage().contains("holds no PEM certificate"), e.getMessage());
  }

  @Test
  void corruptKeyIsReportedAndLeftAlone() throws Exception {
    RootCa.loadOrCreate(temp);
    Files.writeString(temp.resolve("ca-key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Map<String, String> files = CaFiles.snapshot(temp);

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertTrue(e.getMessage().startsWith(temp.resolve("ca-key.pem") + " is corrupt"), e.getMessage());
    assertEquals(files, CaFiles.snapshot(temp));
  }

  @Test
  void keyOfAnotherCaIsReportedAsNotMatching() throws Exception {
    RootCa.loadOrCreate(temp.resolve("a"));
    RootCa.loadOrCreate(temp.resolve("b"));
    Files.copy(temp.resolve("b/ca-key.pem"), temp.resolve("a/ca-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Map<String, String> files = CaFiles.snapshot(temp.resolve("a"));

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp.resolve("a")));

    assertTrue(e.getMessage().startsWith(temp.resolve("a/ca-key.pem") + " does not belong to the certificate in "
        + temp.resolve("a/ca.pem")), e.getMessage());
    assertEquals(files, CaFiles.snapshot(temp.resolve("a")));
  }

  @Test
  void serverCertificateInPlaceOfTheCaIsReportedAsNotACa() throws Exception {
    TestPki.ServerIdentity server = TestPki.create("Some CA").issue("a.example");
    CaFiles.write(temp, server.certificatePem(), server.keyPem());
    Map<String, String> files = CaFiles.snapshot(temp);

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertTrue(e.getMessage().startsWith(temp.resolve("ca.pem") + " is not a CA certificate"), e.getMessage());
    assertEquals(files, CaFiles.snapshot(temp));
  }

  @Test
  void expiredCaIsReportedWithItsDate() throws Exception {
    TestPki old = TestPki.create("Old CA", Duration.ofMinutes(-30));
    CaFiles.write(temp, old.caCertificatePem(), Pem.privateKey(old.caKey()));

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertTrue(e.getMessage().startsWith(temp.resolve("ca.pem") + " expired on "), e.getMessage());
  }

  @Test
  void caBroughtFromElsewhereLoadsIncludingAnOpenSslStyleKey() throws Exception {
    TestPki own = TestPki.create("Teacher CA");
    CaFiles.write(temp, own.caCertificatePem(), traditionalEcPem(own));

    RootCa ca = RootCa.loadOrCreate(temp);

    assertEquals(own.caCertificate(), ca.certificate());
    assertEquals("EC", ca.privateKey().getAlgorithm());
  }

  @Test
  void passwordProtectedKeyIsReportedAsEncrypted() throws Exception {
    TestPki own = TestPki.create("Teacher CA");
    // What `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes; only the outer structure matters here.
    var encrypted = new org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo(
        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
            org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_PBES2, org.bouncycastle.asn1.DERNull.INSTANCE),
        new byte[80]);
    var out = new java.io.StringWriter();
    try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("ENCRYPTED PRIVATE KEY", encrypted.getEncoded()));
    }
    CaFiles.write(temp, own.caCertificatePem(), out.toString());

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(temp));

    assertTrue(e.getMessage().contains("is encrypted with a password"), e.getMessage());
  }

  @Test
  void unwritableDirectoryIsReported() throws Exception {
    Path file = Files.writeString(temp.resolve("not-a-dir"), "x");

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(file.resolve("ca")));

    assertTrue(e.getMessage().startsWith("cannot write the CA into"), e.getMessage());
    assertFalse(Files.exists(file.resolve("ca")));
  }

  @Test
  void caDirectoryThatIsAFileIsReported() throws Exception {
    Path file = Files.writeString(temp.resolve("ca"), "x");

    CaException e = assertThrows(CaException.class, () -> RootCa.loadOrCreate(file));

    assertEquals(file + " is a file, not a directory: move it away or choose another CA directory", e.getMessage());
    assertEquals("x", Files.readString(file));
  }

  /** "-----BEGIN EC PRIVATE KEY-----", as `openssl ecparam -genkey` writes it. */
  private static String traditionalEcPem(TestPki pki) throws Exception {
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pki.caKey().getEncoded());
    var curve = info.getPrivateKeyAlgorithm().getParameters();
    var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    var publicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
        .getInstance(pki.caCertificate().getPublicKey().getEncoded()).getPublicKeyData();
    var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), publicKey, curve);
    var out = new java.io.StringWriter();
    try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    return out.toString();
  }

  @Test
  void aCaKeyReadableByOthersIsWarnedAboutInOneLine() throws Exception {
    RootCa.loadOrCreate(temp);
    Files.setPosixFilePermissions(temp.resolve(RootCa.KEY_FILE),
        PosixFilePermissions.fromString("rw-r--r--"));

    String log;
    try (dev.plainsight.testing.StderrCapture stderr = dev.plainsight.testing.StderrCapture.start()) {
      RootCa.loadOrCreate(temp);
      log = stderr.text();
    }

    assertTrue(log.contains("ca-key.pem is readable by group or others (rw-r--r--)"), log);
    assertEquals(1, log.lines().filter(l -> l.contains("ca-key.pem")).count(), log);
  }

  @Test
  void anOwnerOnlyCaKeyIsNotWarnedAbout() throws Exception {
    RootCa.loadOrCreate(temp);

    String log;
    try (dev.plainsight.testing.StderrCapture stderr = dev.plainsight.testing.StderrCapture.start()) {
      RootCa.loadOrCreate(temp);
      log = stderr.text();
    }

    assertFalse(log.contains("ca-key.pem"), log);
  }
}
