package dev.plainsight.ca;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server-side key manager for client-facing TLS: for each handshake it serves a leaf from the
 * {@link LeafMinter} for the name the client asked for.
 *
 * <p>JSSE calls {@code choose*ServerAlias} during the handshake; the alias returned is the host:
 * the SNI host name when the ClientHello has one, else the engine's peer host (the proxy creates
 * the engine with {@code createSSLEngine(connectHost, port)}), or for a server socket the local
 * address the client connected to. JSSE then asks {@link #getCertificateChain} and
 * {@link #getPrivateKey} for that alias. Only EC is offered: other key types get no alias.
 */
public final class ForgingKeyManager extends X509ExtendedKeyManager {
  private final LeafMinter minter;

  public ForgingKeyManager(LeafMinter minter) {
    this.minter = minter;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    if (!"EC".equals(keyType) || engine == null) {
      return null;
    }
    return aliasFor(engine.getHandshakeSession(), engine.getPeerHost());
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    if (!"EC".equals(keyType) || !(socket instanceof SSLSocket)) {
      return null;
    }
    SSLSocket ssl = (SSLSocket) socket;
    return aliasFor(ssl.getHandshakeSession(), ssl.getLocalAddress().getHostAddress());
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    if (alias == null) {
      return null;
    }
    try {
      return minter.chainFor(alias);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return alias == null ? null : minter.leafKey();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  /**
   * The SNI name if it is a usable host name, else the fallback (the CONNECT host). Some clients
   * send odd SNI values (hey sends "127.0.0.1:443"); they get the CONNECT host's certificate.
   */
  private static String aliasFor(SSLSession handshake, String fallback) {
    String fromSni = sniHostName(handshake).map(ForgingKeyManager::keyOrNull).orElse(null);
    return fromSni != null ? fromSni : fallback == null ? null : keyOrNull(fallback);
  }

  private static String keyOrNull(String requested) {
    try {
      return HostNames.parse(requested).key();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Optional<String> sniHostName(SSLSession handshake) {
    if (!(handshake instanceof ExtendedSSLSession)) {
      return Optional.empty();
    }
    try {
      for (SNIServerName name : ((ExtendedSSLSession) handshake).getRequestedServerNames()) {
        if (name instanceof SNIHostName) {
          return Optional.of(((SNIHostName) name).getAsciiName());
        }
      }
    } catch (IllegalArgumentException notAHostName) {
      // an SNI value that is not a host name (e.g. with a port): use the fallback
    }
    return Optional.empty();
  }
}
