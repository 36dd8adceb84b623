package dev.plainsight.proxy.littleproxy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which CONNECT targets speak plain HTTP, not TLS. Browsers (and the JDK) open even a
 * {@code ws://} WebSocket through a proxy with CONNECT, and intercepting that as TLS fails. A
 * target is plain when its port is 80, or (443 never) when it has answered a plain HTTP request
 * through this proxy (the page that opens a {@code ws://} socket came from the same origin). Remembers at most
 * {@link #CAPACITY} origins, least recently seen dropped first. Thread-safe.
 */
final class PlainOrigins {
  static final int CAPACITY = 1024;

  private final Map<String, Boolean> seen = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };

  /** {@code host:port} answered a plain HTTP request. */
  synchronized void answered(String host, int port) {
    if (host != null) {
      seen.put(key(host, port), Boolean.TRUE);
    }
  }

  synchronized boolean isPlain(String host, int port) {
    return port == 80 || port != 443 && seen.get(key(host, port)) != null;
  }

  private static String key(String host, int port) {
    return host.toLowerCase(Locale.ROOT) + ":" + port;
  }
}
