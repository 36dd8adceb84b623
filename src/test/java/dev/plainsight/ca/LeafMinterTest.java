package dev.plainsight.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.TestPki;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeafMinterTest {
  @TempDir static Path caDir;
  static RootCa ca;

  @BeforeAll
  static void createCa() throws Exception {
    ca = RootCa.loadOrCreate(caDir);
  }

  @Test
  void leafForAHostNameCarriesTheLowerCasedNameAsDnsSanAndCn() throws Exception {
    X509Certificate leaf = new LeafMinter(ca).chainFor("Shop.Example.")[0];

    assertEquals(List.of(List.of(2, "shop.example")), sans(leaf));
    assertEquals("CN=shop.example", leaf.getSubjectX500Principal().getName());
  }

  @Test
  void oneLeafForSeveralNamesCarriesThemAllAndIsSignedByTheRoot() throws Exception {
    LeafMinter minter = new LeafMinter(ca);
    X509Certificate[] chain = minter.chainForAll(List.of("Demo.Example", "127.0.0.1"));

    assertEquals(List.of(List.of(2, "demo.example"), List.of(7, "127.0.0.1")), sans(chain[0]));
    assertEquals("CN=demo.example", chain[0].getSubjectX500Principal().getName());
    chain[0].verify(ca.certificate().getPublicKey());
    assertEquals(minter.leafKey().getAlgorithm(), chain[0].getPublicKey().getAlgorithm());
    assertThrows(IllegalArgumentException.class, () -> minter.chainForAll(List.of()));
  }

  @Test
  void aSecondRootIsItsOwnFilesAndSubject() throws Exception {
    RootCa.Identity demo = new RootCa.Identity("other.pem", "other-key.pem", "Some org",
        "Other Root", false, "the other CA");
    RootCa other = RootCa.loadOrCreate(caDir, demo);

    assertEquals("CN=Other Root,O=Some org", other.certificate().getSubjectX500Principal().getName());
    assertEquals(caDir.resolve("other.pem"), other.certificatePath());
    assertFalse(java.util.Arrays.equals(ca.certificateDer(), other.certificateDer()));
    assertArrayEquals(other.certificateDer(), RootCa.loadOrCreate(caDir, demo).certificateDer());
  }

  @Test
  void leafForAnIpv4LiteralCarriesAnIpSan() throws Exception {
    X509Certificate leaf = new LeafMinter(ca).chainFor("127.0.0.1")[0];

    assertEquals(List.of(List.of(7, "127.0.0.1")), sans(leaf));
  }

  @Test
  void leafForAnIpv6LiteralCarriesAnIpSanWithOrWithoutBrackets() throws Exception {
    LeafMinter minter = new LeafMinter(ca);
    X509Certificate leaf = minter.chainFor("[::1]")[0];

    assertEquals(List.of(List.of(7, "0:0:0:0:0:0:0:1")), sans(leaf));
    assertEquals("CN=::1", leaf.getSubjectX500Principal().getName());
    assertSame(leaf, minter.chainFor("0:0:0:0:0:0:0:1")[0]);
  }

  @Test
  void leafIsAServerOnlyEndEntityLinkedToTheRoot() throws Exception {
    X509Certificate[] chain = new LeafMinter(ca).chainFor("a.example");
    X509Certificate leaf = chain[0];

    assertEquals(ca.certificate(), chain[1]);
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
    assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false, false}, leaf.getKeyUsage());
    assertEquals(-1, leaf.getBasicConstraints());
    assertTrue(leaf.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.15", "2.5.29.19")));
    var leafHolder = new JcaX509CertificateHolder(leaf);
    var rootHolder = new JcaX509CertificateHolder(ca.certificate());
    assertArrayEquals(SubjectKeyIdentifier.fromExtensions(rootHolder.getExtensions()).getKeyIdentifier(),
        AuthorityKeyIdentifier.fromExtensions(leafHolder.getExtensions()).getKeyIdentifierOctets());
    assertTrue(leafHolder.hasExtensions() && leafHolder.getExtension(Extension.subjectKeyIdentifier) != null);
    assertEquals("SHA256withECDSA", leaf.getSigAlgName());
  }

  @Test
  void leafIsBackdatedADayAndLivesUnder398Days() throws Exception {
    RootCa oldCa = caWithValidity(Duration.ofDays(-10), Duration.ofDays(3650));
    Instant now = Instant.now();
    X509Certificate leaf = new LeafMinter(oldCa).chainFor("a.example")[0];

    Duration backdate = Duration.between(leaf.getNotBefore().toInstant(), now);
    assertTrue(backdate.compareTo(Duration.ofHours(23)) > 0 && backdate.compareTo(Duration.ofHours(25)) < 0,
        backdate::toString);
    Duration lifetime = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    assertTrue(lifetime.compareTo(Duration.ofDays(398)) < 0, lifetime::toString);
    assertTrue(lifetime.compareTo(Duration.ofDays(390)) > 0, lifetime::toString);
  }

  @Test
  void leafNeverOutlivesNorPredatesTheRoot() throws Exception {
    RootCa shortCa = caWithValidity(Duration.ofHours(-1), Duration.ofDays(30));

    X509Certificate leaf = new LeafMinter(shortCa).chainFor("a.example")[0];

    assertEquals(shortCa.certificate().getNotAfter(), leaf.getNotAfter());
    assertFalse(leaf.getNotBefore().before(shortCa.certificate().getNotBefore()));
  }

  @Test
  void chainVerifiesAgainstTheRootWithAPkixValidator() throws Exception {
    X509Certificate[] chain = new LeafMinter(ca).chainFor("a.example");

    var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(chain[0]));
    var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(path, parameters);
  }

  @Test
  void allLeavesShareOneKeyThatMatchesThem() throws Exception {
    LeafMinter minter = new LeafMinter(ca);

    X509Certificate a = minter.chainFor("a.example")[0];
    X509Certificate b = minter.chainFor("10.0.0.1")[0];

    assertEquals(a.getPublicKey(), b.getPublicKey());
    assertTrue(CaPrimitives.keyMatches(minter.leafKey(), a.getPublicKey()));
    assertEquals("EC", minter.leafKey().getAlgorithm());
    assertFalse(a.getSerialNumber().equals(b.getSerialNumber()));
  }

  @Test
  void sameHostIsServedFromTheCache() {
    LeafMinter minter = new LeafMinter(ca);

    X509Certificate first = minter.chainFor("a.example")[0];
    X509Certificate second = minter.chainFor("A.EXAMPLE")[0];

    assertSame(first, second);
    assertEquals(1, minter.mintedCount());
  }

  @Test
  void cacheKeepsOnlyTheMostRecentlyUsedHosts() {
    LeafMinter minter = new LeafMinter(ca, 2);
    X509Certificate a = minter.chainFor("a.example")[0];
    X509Certificate b = minter.chainFor("b.example")[0];
    minter.chainFor("a.example");
    minter.chainFor("c.example"); // evicts b, the least recently used

    assertSame(a, minter.chainFor("a.example")[0]);
    assertNotSame(b, minter.chainFor("b.example")[0]);
    assertEquals(4, minter.mintedCount());
  }

  @Test
  void concurrentCallsForTheSameNewHostMintOnce() throws Exception {
    LeafMinter minter = new LeafMinter(ca);
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<X509Certificate>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return minter.chainFor("busy.example")[0];
        }));
      }
      start.countDown();
      X509Certificate first = results.get(0).get();
      for (Future<X509Certificate> result : results) {
        assertSame(first, result.get());
      }
      assertEquals(1, minter.mintedCount());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void returnedChainsCannotCorruptTheCache() {
    LeafMinter minter = new LeafMinter(ca);
    X509Certificate[] chain = minter.chainFor("a.example");
    X509Certificate leaf = chain[0];
    chain[0] = null;

    assertSame(leaf, minter.chainFor("a.example")[0]);
  }

  @Test
  void somethingThatIsNeitherAHostNorAnIpIsRefused() {
    LeafMinter minter = new LeafMinter(ca);

    for (String bad : new String[] {"", " ", "a b.example", "a..example", "[not-ip]", "evil.example/x", "1::2::3"}) {
      assertThrows(IllegalArgumentException.class, () -> minter.chainFor(bad), bad);
    }
    assertEquals(0, minter.mintedCount());
  }

  @Test
  void rsaCaBroughtFromElsewhereSignsTheSameEcLeaves() throws Exception {
    var generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var keys = generator.generateKeyPair();
    var name = new org.bouncycastle.asn1.x500.X500Name("CN=Teacher RSA CA");
    Instant now = Instant.now();
    var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TEN,
            java.util.Date.from(now.minus(Duration.ofDays(2))), java.util.Date.from(now.plus(Duration.ofDays(900))),
            name, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
    X509Certificate root = CaPrimitives.sign(builder, keys.getPrivate());
    Path dir = caDir.resolve("rsa");
    CaFiles.write(dir, Pem.certificate(root), Pem.privateKey(keys.getPrivate()));

    X509Certificate[] chain = new LeafMinter(RootCa.loadOrCreate(dir)).chainFor("a.example");

    assertEquals("SHA256withRSA", chain[0].getSigAlgName());
    assertEquals("EC", chain[0].getPublicKey().getAlgorithm());
    chain[0].verify(root.getPublicKey());
  }

  @Test
  void mintingTakesMillisecondsOnceWarm() {
    LeafMinter minter = new LeafMinter(ca);
    long start = System.nanoTime();
    minter.chainFor("first.example");
    double firstMs = (System.nanoTime() - start) / 1e6;
    int warm = 200;
    double[] times = new double[warm];
    for (int i = 0; i < warm; i++) {
      long t = System.nanoTime();
      minter.chainFor("host" + i + ".example");
      times[i] = (System.nanoTime() - t) / 1e6;
    }
    java.util.Arrays.sort(times);
    long cachedStart = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      minter.chainFor("host7.example");
    }
    double cachedUs = (System.nanoTime() - cachedStart) / 1e3 / 1000;
    System.out.printf("TIMING first mint %.1f ms; warm mints median %.2f ms, p90 %.2f ms, max %.2f ms; cached %.1f us%n",
        firstMs, times[warm / 2], times[warm * 9 / 10], times[warm - 1], cachedUs);
    assertTrue(times[warm / 2] < 100, "median warm mint " + times[warm / 2] + " ms");
  }

  private static RootCa caWithValidity(Duration startOffset, Duration endOffset) throws Exception {
    Instant now = Instant.now();
    TestPki pki = TestPki.create("Test Root", now.plus(startOffset), now.plus(endOffset));
    Path dir = caDir.resolve("other-" + System.nanoTime());
    CaFiles.write(dir, pki.caCertificatePem(), Pem.privateKey(pki.caKey()));
    return RootCa.loadOrCreate(dir);
  }

  private static List<List<?>> sans(X509Certificate cert) throws Exception {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    return sans == null ? List.of() : List.copyOf(sans);
  }
}
