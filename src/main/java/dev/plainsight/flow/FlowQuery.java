package dev.plainsight.flow;

import java.util.Locale;

/**
 * A filter over stored flows; null fields match everything. {@code text} is a full-text search
 * over URL, headers and text bodies: whole words and word beginnings ({@code api/log} finds
 * {@code /api/login}), case-insensitive.
 */
public record FlowQuery(String session, FlowKind kind, String host, String text, int limit, int offset) {
  public static final int MAX_LIMIT = 1000;

  public FlowQuery {
    limit = Math.max(1, Math.min(limit, MAX_LIMIT));
    offset = Math.max(0, offset);
    text = text == null || text.isBlank() ? null : text.toLowerCase(Locale.ROOT);
    host = host == null || host.isBlank() ? null : host.toLowerCase(Locale.ROOT);
    session = session == null || session.isBlank() ? null : session;
  }

  public static FlowQuery all() {
    return new FlowQuery(null, null, null, null, 100, 0);
  }
}
