package dev.plainsight.keylog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NSS key log lines of recent TLS sessions, by client random (hex), so that a capture can
 * carry the secrets of exactly its own legs. Bounded: the oldest sessions are forgotten past
 * {@code maxSessions}. Thread-safe.
 */
public final class SecretLines {
  private final int maxSessions;
  private final Map<String, StringBuilder> byRandom;

  public SecretLines(int maxSessions) {
    this.maxSessions = maxSessions;
    this.byRandom = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, StringBuilder> eldest) {
        return size() > SecretLines.this.maxSessions;
      }
    };
  }

  /** Keeps one well-formed line ({@code LABEL <client random> <secret>}). */
  public void add(String line) {
    String[] parts = line.strip().split(" ");
    if (parts.length != 3) {
      return;
    }
    synchronized (byRandom) {
      byRandom.computeIfAbsent(parts[1].toLowerCase(java.util.Locale.ROOT),
          random -> new StringBuilder()).append(line.strip()).append('\n');
    }
  }

  /** The lines of the session with this client random (hex), or "". */
  public String linesFor(String clientRandomHex) {
    synchronized (byRandom) {
      StringBuilder lines = byRandom.get(clientRandomHex.toLowerCase(java.util.Locale.ROOT));
      return lines == null ? "" : lines.toString();
    }
  }
}
