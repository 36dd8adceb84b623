package dev.plainsight.ca;

import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Mints the certificate Plainsight shows a client for a host: a leaf signed by the {@link RootCa},
 * naming the host (SAN dNSName, or iPAddress for an IP literal; CN too), for TLS servers only. All
 * leaves share one EC P-256 key made at construction, so a new host costs one signature.
 *
 * <p>{@link #chainFor} returns {@code [leaf, root]} from a capped LRU cache keyed by the canonical
 * host; concurrent calls for the same new host mint once. Leaves are backdated a day for clock skew
 * and live at most 397 days in all (under the 398 browsers accept), never past the root. Thread-safe.
 */
public final class LeafMinter {
  public static final int DEFAULT_CACHE_SIZE = 1024;
  static final Duration BACKDATE = Duration.ofDays(1);
  static final Duration LIFETIME_AHEAD = Duration.ofDays(396);
  private static final int MAX_CN_LENGTH = 64;

  private final RootCa ca;
  private final KeyPair leafKeys;
  private final AuthorityKeyIdentifier authorityKeyId;
  private final SubjectKeyIdentifier leafKeyId;
  private final Map<String, FutureTask<X509Certificate[]>> cache;
  private final AtomicLong minted = new AtomicLong();

  public LeafMinter(RootCa ca) {
    this(ca, DEFAULT_CACHE_SIZE);
  }

  public LeafMinter(RootCa ca, int cacheSize) {
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be at least 1, was " + cacheSize);
    }
    this.ca = ca;
    this.leafKeys = CaPrimitives.newEcKeyPair();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      this.leafKeyId = utils.createSubjectKeyIdentifier(leafKeys.getPublic());
      SubjectKeyIdentifier rootKeyId = SubjectKeyIdentifier.fromExtensions(
          new JcaX509CertificateHolder(ca.certificate()).getExtensions());
      this.authorityKeyId = new AuthorityKeyIdentifier(rootKeyId != null
          ? rootKeyId.getKeyIdentifier()
          : utils.createSubjectKeyIdentifier(ca.certificate().getPublicKey()).getKeyIdentifier());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, FutureTask<X509Certificate[]>> eldest) {
        return size() > cacheSize;
      }
    };
  }

  /** {@code [leaf, root]} for a host name or IP literal; IllegalArgumentException if it is neither. */
  public X509Certificate[] chainFor(String hostOrIp) {
    HostNames.Host host = HostNames.parse(hostOrIp);
    FutureTask<X509Certificate[]> task;
    boolean mine = false;
    synchronized (cache) {
      task = cache.get(host.key());
      if (task == null) {
        task = new FutureTask<>(() -> mint(host));
        cache.put(host.key(), task);
        mine = true;
      }
    }
    if (mine) {
      task.run();
    }
    try {
      return task.get().clone();
    } catch (ExecutionException e) {
      synchronized (cache) {
        cache.remove(host.key(), task);
      }
      throw new IllegalStateException("could not mint a certificate for " + host.key() + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while minting a certificate for " + host.key(), e);
    }
  }

  /**
   * {@code [leaf, root]} for one leaf naming every host name and IP literal given (the first is
   * its common name), signed now and not cached: for a server of our own that answers to several
   * names, such as the demo site. Its key is {@link #leafKey}.
   */
  public X509Certificate[] chainForAll(List<String> hostsOrIps) {
    if (hostsOrIps.isEmpty()) {
      throw new IllegalArgumentException("a leaf needs at least one name");
    }
    List<HostNames.Host> hosts = hostsOrIps.stream().map(HostNames::parse).toList();
    try {
      return mint(hosts);
    } catch (CertIOException e) {
      throw new IllegalStateException("could not mint a certificate for " + hostsOrIps, e);
    }
  }

  public PrivateKey leafKey() {
    return leafKeys.getPrivate();
  }

  /** How many leaves were signed so far (cache hits do not count). */
  public long mintedCount() {
    return minted.get();
  }

  private X509Certificate[] mint(HostNames.Host host) throws CertIOException {
    return mint(List.of(host));
  }

  private X509Certificate[] mint(List<HostNames.Host> hosts) throws CertIOException {
    HostNames.Host host = hosts.get(0);
    X509Certificate root = ca.certificate();
    Instant now = Instant.now();
    Instant notBefore = latest(now.minus(BACKDATE), root.getNotBefore().toInstant());
    Instant notAfter = earliest(now.plus(LIFETIME_AHEAD), root.getNotAfter().toInstant());
    if (!notAfter.isAfter(now)) {
      throw new IllegalStateException("the Plainsight CA " + ca.certificatePath() + " has expired: "
          + "delete it and its key to generate a new CA");
    }
    GeneralName[] sans = hosts.stream().map(named -> named.isIp()
        ? new GeneralName(GeneralName.iPAddress, new DEROctetString(named.ip()))
        : new GeneralName(GeneralName.dNSName, named.key())).toArray(GeneralName[]::new);
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    if (host.key().length() <= MAX_CN_LENGTH) {
      subject.addRDN(BCStyle.CN, host.key());
    } else {
      subject.addRDN(BCStyle.O, RootCa.ORGANIZATION); // CN is limited to 64 characters; SAN is what counts
    }
    X500Name subjectName = subject.build();
    var builder = new JcaX509v3CertificateBuilder(root, CaPrimitives.randomSerial(),
            Date.from(notBefore), Date.from(notAfter), subjectName, leafKeys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
        .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId)
        .addExtension(Extension.subjectKeyIdentifier, false, leafKeyId);
    X509Certificate leaf = CaPrimitives.sign(builder, ca.privateKey());
    minted.incrementAndGet();
    return new X509Certificate[] {leaf, root};
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
