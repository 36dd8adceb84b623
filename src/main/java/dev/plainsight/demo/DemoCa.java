package dev.plainsight.demo;

import dev.plainsight.ca.CaException;
import dev.plainsight.ca.LeafMinter;
import dev.plainsight.ca.RootCa;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The demo site's own CA: it plays the part of a public CA (Let's Encrypt, say) that the real
 * server's certificate comes from. It is <em>not</em> the Plainsight CA, so the lesson can show
 * the two issuers side by side. Plainsight trusts it upstream; learners never need to.
 *
 * <p>It is a {@link RootCa} of its own ({@link #IDENTITY}: {@code demo-ca.pem} and the owner-only
 * {@code demo-ca-key.pem}, loaded or created as the Plainsight CA is), and its leaves come from a
 * {@link LeafMinter}: {@link #serverContext} returns a TLS server context presenting {@code [leaf,
 * ca]} for one leaf naming every host name and IP literal the site answers to.
 */
final class DemoCa {
  static final String CERT_FILE = "demo-ca.pem";
  static final String KEY_FILE = "demo-ca-key.pem";
  static final String CA_NAME = "Demo Web Root CA";
  static final RootCa.Identity IDENTITY = new RootCa.Identity(CERT_FILE, KEY_FILE,
      "Plainsight demo site (plays a public CA)", CA_NAME, false, "the demo CA");

  private final RootCa root;
  private final LeafMinter leaves;

  private DemoCa(RootCa root) {
    this.root = root;
    this.leaves = new LeafMinter(root, 1);
  }

  static DemoCa loadOrCreate(Path dir) throws CaException {
    return new DemoCa(RootCa.loadOrCreate(dir, IDENTITY));
  }

  X509Certificate certificate() {
    return root.certificate();
  }

  Path certificatePath() {
    return root.certificatePath();
  }

  /** A TLS server context presenting a new leaf for these host names and IP literals. */
  SSLContext serverContext(List<String> namesAndIps) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("demo-site", leaves.leafKey(), password, leaves.chainForAll(namesAndIps));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build the demo site's TLS context", e);
    }
  }

  /**
   * A TLS client context that trusts only {@code root} (unlike the proxy's upstream contexts,
   * which add the JDK's roots): the demo story's clients trust exactly one CA each.
   */
  static SSLContext clientContextTrusting(X509Certificate root) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("root", root);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build a TLS client context", e);
    }
  }

  static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }
}
