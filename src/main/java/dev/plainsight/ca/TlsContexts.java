package dev.plainsight.ca;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the TLS contexts the proxy uses, on the JDK's own provider: one forging server context
 * for every client-facing engine, and one upstream client context that verifies chain and host
 * name and records why it refused. Create upstream engines with {@link #upstreamEngine}, which
 * turns host-name checking on.
 */
public final class TlsContexts {
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private TlsContexts() {}

  /**
   * One context for all client-facing engines; create them with {@code createSSLEngine(connectHost,
   * port)} in server mode. The JDK 17 defaults enable exactly TLSv1.3 and TLSv1.2 and offer no ALPN.
   */
  public static SSLContext forgingServerContext(LeafMinter minter) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new ForgingKeyManager(minter)}, new TrustManager[0], null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java cannot make a TLS server context", e);
    }
  }

  /**
   * Trusts the JDK's CAs plus every certificate in the given PEM files (each may hold several).
   * A refused server is recorded in {@code recorder} under peerHost:peerPort before the handshake fails.
   */
  public static SSLContext upstreamClientContext(List<Path> extraCaPemFiles, UpstreamFailureRecorder recorder)
      throws CaException {
    return clientContext(upstreamTrustManager(extraCaPemFiles, recorder));
  }

  /** A JDK client context that trusts what {@code trust} trusts. */
  public static SSLContext clientContext(X509ExtendedTrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java cannot make a TLS client context", e);
    }
  }

  /**
   * The upstream trust decision on its own, for TLS implementations other than the JDK's: the
   * JDK's CAs plus the extra PEM files, refusals recorded in {@code recorder}. The engine passed to
   * it must carry endpoint identification "HTTPS" for host names to be checked.
   */
  public static X509ExtendedTrustManager upstreamTrustManager(List<Path> extraCaPemFiles,
      UpstreamFailureRecorder recorder) throws CaException {
    Objects.requireNonNull(recorder, "recorder");
    return new RecordingTrustManager(trustManager(extraCaPemFiles), recorder);
  }

  /** A client-mode engine for host:port: host name checked ("HTTPS"), SNI for names only, no ALPN. */
  public static SSLEngine upstreamEngine(SSLContext ctx, String host, int port) {
    SSLEngine engine = ctx.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setProtocols(supported(engine.getSupportedProtocols()));
    parameters.setApplicationProtocols(new String[0]);
    parameters.setServerNames(sni(host));
    engine.setSSLParameters(parameters);
    return engine;
  }

  static X509ExtendedTrustManager trustManager(List<Path> extraCaPemFiles) throws CaException {
    List<X509Certificate> extra = new java.util.ArrayList<>();
    for (Path file : extraCaPemFiles) {
      extra.addAll(readExtraCa(file));
    }
    return trusting(extra);
  }

  /** A JDK client context trusting the JDK's CAs plus {@code root} (Plainsight's own client). */
  public static SSLContext clientContextTrusting(X509Certificate root) {
    return clientContext(trusting(List.of(root)));
  }

  private static X509ExtendedTrustManager trusting(List<X509Certificate> extra) {
    X509ExtendedTrustManager jdk = fromKeyStore(null);
    if (extra.isEmpty()) {
      return jdk;
    }
    try {
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate cert : jdk.getAcceptedIssuers()) {
        anchors.setCertificateEntry("jdk-" + n++, cert);
      }
      for (X509Certificate cert : extra) {
        anchors.setCertificateEntry("extra-" + n++, cert);
      }
      return fromKeyStore(anchors);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("could not build the trust store", e);
    }
  }

  private static List<X509Certificate> readExtraCa(Path file) throws CaException {
    try {
      return Pem.readCertificates(file);
    } catch (CaException e) {
      throw new CaException(e.getMessage() + ": an extra upstream CA must be a PEM file holding one or"
          + " more certificates", e);
    }
  }

  private static X509ExtendedTrustManager fromKeyStore(KeyStore anchors) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return Arrays.stream(factory.getTrustManagers())
          .filter(X509ExtendedTrustManager.class::isInstance)
          .map(X509ExtendedTrustManager.class::cast)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("the JDK offers no X509ExtendedTrustManager"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not load the JDK's trusted CAs", e);
    }
  }

  private static String[] supported(String[] available) {
    List<String> offered = Arrays.asList(available);
    return PROTOCOLS.stream().filter(offered::contains).toArray(String[]::new);
  }

  /** The SNI to send for a host: its name, or none for an IP literal or an unusable name. */
  public static List<SNIServerName> sni(String host) {
    if (host == null || HostNames.isIpLiteral(host)) {
      return List.of();
    }
    try {
      String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
      return List.of(new SNIHostName(name));
    } catch (IllegalArgumentException e) {
      return List.of(); // e.g. an underscore in the name: connect without SNI rather than not at all
    }
  }
}
