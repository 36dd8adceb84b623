package dev.plainsight.keylog;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * The master secrets of the JDK's TLS 1.2 sessions by session ID, so a resumed handshake (which
 * derives no new master secret) is still logged under its own client random. A resumption from
 * JSSE's session cache and one from a session ticket both carry the session's ID (RFC 5077: the
 * server echoes it), and a JSSE server that issued a ticket keeps no session object to look in,
 * so the ID is the key, not the object. The newest {@value #CAPACITY} sessions are kept.
 * Thread-safe.
 */
public final class Tls12Sessions {
  static final int CAPACITY = 10_000;

  private final Map<String, byte[]> secrets = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > CAPACITY;
    }
  };

  public synchronized void remember(SSLSession session, byte[] masterSecret) {
    String id = id(session);
    if (id != null) {
      secrets.put(id, masterSecret.clone());
    }
  }

  /** The master secret of a session seen before, or null. */
  public synchronized byte[] masterSecretOf(SSLSession session) {
    String id = id(session);
    byte[] secret = id == null ? null : secrets.get(id);
    return secret == null ? null : secret.clone();
  }

  private static String id(SSLSession session) {
    byte[] id = session.getId();
    return id == null || id.length == 0 ? null : HexFormat.of().formatHex(id);
  }
}
