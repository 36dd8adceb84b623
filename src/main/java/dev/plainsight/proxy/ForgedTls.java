package dev.plainsight.proxy;

import dev.plainsight.ca.ForgingKeyManager;
import dev.plainsight.ca.LeafMinter;
import dev.plainsight.ca.TlsContexts;
import dev.plainsight.capture.Certificates;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.flow.CertificateSummary;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Makes the server-side engines the proxy shows clients, each serving a leaf forged for the SNI
 * name (or the CONNECT host). BoringSSL (netty-tcnative) when it loads: its handshakes cost a
 * fraction of JSSE's, and it tolerates SNI values JSSE rejects with illegal_parameter (hey sends
 * "127.0.0.1:443"); the JDK's own TLS otherwise.
 */
public final class ForgedTls {
  private final SslContext openSsl;
  private final SSLContext jdk;
  private final LeafMinter minter;
  private final TlsKeyLogging keyLogging;

  private ForgedTls(SslContext openSsl, SSLContext jdk, LeafMinter minter,
      TlsKeyLogging keyLogging) {
    this.openSsl = openSsl;
    this.jdk = jdk;
    this.minter = minter;
    this.keyLogging = keyLogging;
  }

  public static ForgedTls create(LeafMinter minter) {
    return create(minter, KeyLog.off());
  }

  /** As {@link #create(LeafMinter)}, the secrets of every client connection going to {@code keyLog}. */
  public static ForgedTls create(LeafMinter minter, KeyLog keyLog) {
    if (OpenSsl.isAvailable()) {
      try {
        ForgingKeyManager keyManager = new ForgingKeyManager(minter);
        SslContext context = SslContextBuilder.forServer(new SimpleKeyManagerFactory() {
              @Override
              protected void engineInit(KeyStore keyStore, char[] password) {}

              @Override
              protected void engineInit(ManagerFactoryParameters params) {}

              @Override
              protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {keyManager};
              }
            })
            .sslProvider(SslProvider.OPENSSL)
            .protocols("TLSv1.3", "TLSv1.2")
            .build();
        return new ForgedTls(context, null, minter, TlsKeyLogging.boringSsl(context, keyLog));
      } catch (SSLException | RuntimeException e) {
        // fall back to the JDK below
      }
    }
    return new ForgedTls(null, TlsContexts.forgingServerContext(minter), minter,
        TlsKeyLogging.jdk(keyLog));
  }

  /** Which TLS implementation serves clients: "BoringSSL" or "JDK". */
  public String implementation() {
    return openSsl != null ? "BoringSSL" : "JDK";
  }

  /** The leaf forged for a host (from the cache): what a refusing client was shown. */
  public CertificateSummary leafFor(String host) {
    try {
      return Certificates.summarize(minter.chainFor(host)[0]);
    } catch (IllegalArgumentException notAHost) {
      return null;
    }
  }

  public SSLEngine newEngine(String connectHost, int connectPort) {
    SSLEngine engine = openSsl != null
        ? openSsl.newEngine(ByteBufAllocator.DEFAULT, connectHost, connectPort)
        : jdk.createSSLEngine(connectHost, connectPort);
    engine.setUseClientMode(false);
    return keyLogging.watch(engine);
  }
}
