package dev.plainsight.ca;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Remembers why the last upstream TLS verification to a host:port failed, so the proxy can explain
 * its 502. The upstream trust manager {@link #record}s; the proxy {@link #take}s (once) when the
 * upstream connection fails. Keys are "host:port" as given to {@link TlsContexts#upstreamEngine}
 * (case and IPv6 brackets do not matter). At most 1024 entries, each forgotten after 60 seconds.
 * Thread-safe.
 */
public final class UpstreamFailureRecorder {
  static final Duration TIME_TO_LIVE = Duration.ofSeconds(60);
  static final int CAPACITY = 1024;

  private record Failure(String reason, long recordedAtNanos) {}

  private final LongSupplier nanoClock;
  private final long ttlNanos;
  private final int capacity;
  private final LinkedHashMap<String, Failure> failures = new LinkedHashMap<>(); // oldest first

  public UpstreamFailureRecorder() {
    this(System::nanoTime, TIME_TO_LIVE, CAPACITY);
  }

  UpstreamFailureRecorder(LongSupplier nanoClock, Duration timeToLive, int capacity) {
    this.nanoClock = nanoClock;
    this.ttlNanos = timeToLive.toNanos();
    this.capacity = capacity;
  }

  public synchronized void record(String hostPort, String reason) {
    long now = nanoClock.getAsLong();
    forgetExpired(now);
    String key = key(hostPort);
    failures.remove(key);
    failures.put(key, new Failure(reason, now));
    Iterator<String> oldest = failures.keySet().iterator();
    while (failures.size() > capacity) {
      oldest.next();
      oldest.remove();
    }
  }

  public synchronized Optional<String> take(String hostPort) {
    long now = nanoClock.getAsLong();
    forgetExpired(now);
    Failure failure = failures.remove(key(hostPort));
    return Optional.ofNullable(failure).map(Failure::reason);
  }

  private void forgetExpired(long now) {
    Iterator<Map.Entry<String, Failure>> it = failures.entrySet().iterator();
    while (it.hasNext() && now - it.next().getValue().recordedAtNanos() > ttlNanos) {
      it.remove();
    }
  }

  /** "[::1]:443" and "::1:443" are the same key; so are "A.example:443" and "a.example:443". */
  static String key(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    String port = colon < 0 ? "" : hostPort.substring(colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.toLowerCase(Locale.ROOT) + port;
  }
}
