package dev.plainsight.proxy;

import com.google.common.collect.MapMaker;
import dev.plainsight.tls.TlsObserver;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLSession;

/**
 * Finds the observer of an upstream handshake by its session: LittleProxy hands the interception
 * layer only the upstream session. Sessions are held weakly and compared by identity.
 */
public final class UpstreamObservations {
  private final ConcurrentMap<SSLSession, TlsObserver> bySession =
      new MapMaker().weakKeys().makeMap();

  public void register(SSLSession session, TlsObserver observer) {
    bySession.put(session, observer);
  }

  public TlsObserver take(SSLSession session) {
    return bySession.remove(session);
  }
}
