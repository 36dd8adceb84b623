package dev.plainsight.proxy;

import dev.plainsight.ca.TlsContexts;
import dev.plainsight.keylog.KeyLog;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Makes the client-mode engines the proxy uses towards real servers. Every engine verifies the
 * chain against the upstream trust manager and the host name ("HTTPS" endpoint identification),
 * sends SNI for names only and offers no ALPN. BoringSSL (netty-tcnative) when it loads: its
 * handshakes cost a fraction of JSSE's, and its client session cache resumes TLS sessions per
 * host:port; the JDK's own TLS otherwise.
 */
public final class UpstreamTls {
  private static final long SESSION_CACHE_SIZE = 2_048;
  private static final long SESSION_TIMEOUT_SECONDS = 300;

  private final SslContext openSsl;
  private final SSLContext jdk;
  private final TlsKeyLogging keyLogging;

  private UpstreamTls(SslContext openSsl, SSLContext jdk, TlsKeyLogging keyLogging) {
    this.openSsl = openSsl;
    this.jdk = jdk;
    this.keyLogging = keyLogging;
  }

  /** {@code trust} decides; {@code jdkFallback} is used when BoringSSL does not load. */
  public static UpstreamTls create(X509ExtendedTrustManager trust, SSLContext jdkFallback) {
    return create(trust, jdkFallback, KeyLog.off());
  }

  /** As {@link #create(X509ExtendedTrustManager, SSLContext)}, the secrets going to {@code keyLog}. */
  public static UpstreamTls create(X509ExtendedTrustManager trust, SSLContext jdkFallback,
      KeyLog keyLog) {
    if (OpenSsl.isAvailable()) {
      try {
        SslContext context = SslContextBuilder.forClient()
            .sslProvider(SslProvider.OPENSSL)
            .trustManager(trust)
            .endpointIdentificationAlgorithm("HTTPS")
            .protocols("TLSv1.3", "TLSv1.2")
            .sessionCacheSize(SESSION_CACHE_SIZE)
            .sessionTimeout(SESSION_TIMEOUT_SECONDS)
            .build();
        return new UpstreamTls(context, null, TlsKeyLogging.boringSsl(context, keyLog));
      } catch (SSLException | RuntimeException e) {
        // fall back to the JDK below
      }
    }
    return new UpstreamTls(null, jdkFallback, TlsKeyLogging.jdk(keyLog));
  }

  /** Which TLS implementation talks to servers: "BoringSSL" or "JDK". */
  public String implementation() {
    return openSsl != null ? "BoringSSL" : "JDK";
  }

  /** A client engine for host:port (host null: no SNI and no name to check, so it fails safely). */
  public SSLEngine newEngine(String host, int port) {
    if (openSsl == null) {
      return keyLogging.watch(TlsContexts.upstreamEngine(jdk, host, port));
    }
    SSLEngine engine = host == null
        ? openSsl.newEngine(ByteBufAllocator.DEFAULT)
        : openSsl.newEngine(ByteBufAllocator.DEFAULT, host, port);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setServerNames(TlsContexts.sni(host));
    engine.setSSLParameters(parameters);
    return engine;
  }
}
