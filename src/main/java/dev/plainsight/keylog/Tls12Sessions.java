package dev.plainsight.keylog;

import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLSession;

/**
 * The master secrets of the JDK's TLS 1.2 sessions, so a resumed handshake (which derives no new
 * master secret) is still logged under its own client random. JSSE resumes a session it cached
 * by handing back the same {@link SSLSession} object, which is the key here (weakly held: an
 * evicted session's secret goes with it). Thread-safe.
 */
public final class Tls12Sessions {
  private final Map<SSLSession, byte[]> secrets = new WeakHashMap<>();

  public synchronized void remember(SSLSession session, byte[] masterSecret) {
    secrets.put(session, masterSecret.clone());
  }

  /** The master secret of a session seen before, or null. */
  public synchronized byte[] masterSecretOf(SSLSession session) {
    byte[] secret = secrets.get(session);
    return secret == null ? null : secret.clone();
  }
}
