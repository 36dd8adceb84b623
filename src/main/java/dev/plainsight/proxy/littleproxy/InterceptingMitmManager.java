package dev.plainsight.proxy.littleproxy;

import dev.plainsight.proxy.ForgedTls;
import dev.plainsight.proxy.UpstreamTls;
import dev.plainsight.proxy.ObservedSslEngine;
import dev.plainsight.proxy.UpstreamObservations;
import dev.plainsight.net.Authority;
import dev.plainsight.pcap.EngineWire;
import dev.plainsight.pcap.LegIndex;
import dev.plainsight.capture.Certificates;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.tls.TlsObserver;
import io.netty.handler.codec.http.HttpRequest;
import java.security.cert.Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.littleshoot.proxy.MitmManager;

/**
 * LittleProxy's seam for interception. Upstream engines verify the real server's chain and host
 * name; client-facing engines all come from one forging context whose key manager picks the leaf
 * by SNI (or the CONNECT host when the client sends none). LittleProxy asks for the client engine
 * once the upstream handshake is done, which is when the upstream facts are reported.
 */
final class InterceptingMitmManager implements MitmManager {
  private final UpstreamTls upstreamTls;
  private final ForgedTls forgedTls;
  private final ConnectRegistry registry;
  private final UpstreamObservations upstreamObservations = new UpstreamObservations();
  private final boolean observeUpstream;
  private final LegIndex legs;

  /** {@code legs}: when on, each upstream engine also records its server leg's bytes. */
  InterceptingMitmManager(UpstreamTls upstreamTls, ForgedTls forgedTls,
      ConnectRegistry registry, boolean observeUpstream, LegIndex legs) {
    this.observeUpstream = observeUpstream;
    this.legs = legs;
    this.upstreamTls = upstreamTls;
    this.forgedTls = forgedTls;
    this.registry = registry;
  }

  @Override
  public SSLEngine serverSslEngine(String peerHost, int peerPort) {
    SSLEngine engine = upstreamTls.newEngine(peerHost, peerPort);
    if (!observeUpstream && !legs.isOn()) {
      return engine;
    }
    return new ObservedSslEngine(engine, observeUpstream ? new TlsObserver() : null,
        upstreamObservations, legs.isOn() ? new EngineWire(legs.perLeg()) : null);
  }

  @Override
  public SSLEngine serverSslEngine() {
    // LittleProxy's retry without SNI; with no host to check, the verification fails, safely.
    return upstreamTls.newEngine(null, -1);
  }

  @Override
  public SSLEngine clientSslEngineFor(HttpRequest connect, SSLSession upstreamSession) {
    Authority target = Authority.parseConnectTarget(connect.uri());
    ClientConnection connection = registry.take(connect);
    if (connection != null) {
      connection.upstreamObserver(upstreamObservations.take(upstreamSession));
      connection.upstreamTls(upstreamSession.getProtocol(), upstreamSession.getCipherSuite(),
          Certificates.summarize(peerChain(upstreamSession)));
    }
    return forgedTls.newEngine(target.host(), target.port());
  }

  private static Certificate[] peerChain(SSLSession session) {
    try {
      return session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return new Certificate[0];
    }
  }
}
