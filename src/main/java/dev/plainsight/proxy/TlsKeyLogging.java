package dev.plainsight.proxy;

import dev.plainsight.keylog.JdkSecretTap;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.keylog.Tls12Sessions;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.internal.tcnative.SSLContext;
import java.lang.reflect.Field;
import javax.net.ssl.SSLEngine;

/**
 * Connects one TLS context of the proxy (forging or upstream) to the key log, for either engine.
 * BoringSSL: its own key log callback on the native context, which hands over finished NSS lines
 * for TLS 1.2 and 1.3. The JDK: each engine wrapped in a {@link KeyLoggingSslEngine}, fed by the
 * {@link JdkSecretTap}, installed when the first JDK context is made; if the tap cannot be put in
 * front of JSSE's derivations on this JVM, Plainsight refuses to start rather than write a key
 * log that silently misses connections.
 */
final class TlsKeyLogging {
  private final KeyLog log;
  private final Tls12Sessions sessions = new Tls12Sessions();

  private TlsKeyLogging(KeyLog log) {
    this.log = log;
  }

  /** For a BoringSSL context: installs the native callback (throws if BoringSSL refuses). */
  static TlsKeyLogging boringSsl(SslContext context, KeyLog log) {
    if (log.isFed()) {
      if (!SSLContext.setKeyLogCallback(nativeContext(context), (ssl, line) -> log.writeLine(line))) {
        throw new IllegalStateException("BoringSSL refused the key log callback");
      }
      log.fedBy("BoringSSL");
    }
    return new TlsKeyLogging(KeyLog.off());
  }

  /**
   * The tcnative context a {@code SSLContext} call takes: Netty 4.2 keeps it in a protected field
   * ({@code context()} and {@code sslCtxPointer()} give BoringSSL's own SSL_CTX, which crashes
   * tcnative) and offers no key log option of its own.
   */
  private static long nativeContext(SslContext context) {
    try {
      Field ctx = ReferenceCountedOpenSslContext.class.getDeclaredField("ctx");
      ctx.setAccessible(true);
      return ctx.getLong(context);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("no BoringSSL context to attach the key log to", e);
    }
  }

  /** For JDK engines: installs the tap (throws if JSSE cannot be tapped here). */
  static TlsKeyLogging jdk(KeyLog log) {
    boolean tapped = log.isFed() && JdkSecretTap.install();
    if (log.isOn() && !tapped) {
      throw new IllegalStateException("--keylog: this JVM's TLS (JSSE) does not derive its "
          + "secrets through the providers Plainsight can watch, so no key log can be written");
    }
    if (log.isOn()) {
      log.fedBy("JDK");
    }
    return new TlsKeyLogging(tapped ? log : KeyLog.off());
  }

  /** The engine to hand to Netty: wrapped when JDK secrets are to be logged. */
  SSLEngine watch(SSLEngine engine) {
    return log.isFed() ? new KeyLoggingSslEngine(engine, log, sessions) : engine;
  }
}
