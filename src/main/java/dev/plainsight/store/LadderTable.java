package dev.plainsight.store;

import dev.plainsight.tls.RecordEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS record ladders of stored flows, each kept once per session. Every exchange on an
 * intercepted keep-alive connection carries its connection's ladders (up to 64 records a side,
 * about 8 KB of JSON each); while a ladder does not grow, the observer hands out one shared list
 * ({@code ObservationBuilder}), so a list this table stored already for the session is referred
 * to instead of written again. The cache of stored lists is keyed by identity, bounded, and
 * forgotten after a rollback or a session deletion (its row ids may be gone then). Writer thread
 * only.
 */
final class LadderTable implements AutoCloseable {
  /** Ladders remembered: a room's open connections, both sides (at most ~1.5 MiB of lists). */
  static final int CACHED = 512;

  /** A ladder's row and the bytes written for it now (0 when it was stored before). */
  record Stored(long id, int newBytes) {}

  private final PreparedStatement insert;
  private final PreparedStatement deleteSession;
  private final Map<Key, Long> stored = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
      return size() > CACHED;
    }
  };

  LadderTable(Connection c) throws SQLException {
    insert = c.prepareStatement(
        "INSERT INTO ladders(session_id, entries) VALUES (?, ?) RETURNING id");
    deleteSession = c.prepareStatement("DELETE FROM ladders WHERE session_id = ?");
  }

  /** The row holding this ladder for the session; null for an absent or empty ladder. */
  Stored put(List<RecordEntry> ladder, long sessionId) throws SQLException {
    if (ladder == null || ladder.isEmpty()) {
      return null;
    }
    Key key = new Key(ladder, sessionId);
    Long known = stored.get(key);
    if (known != null) {
      return new Stored(known, 0);
    }
    byte[] entries = FlowCodec.encodeLadder(ladder);
    insert.setLong(1, sessionId);
    insert.setBytes(2, entries);
    long id;
    try (ResultSet rs = insert.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    stored.put(key, id);
    return new Stored(id, entries.length);
  }

  /** Deletes the session's ladders, inside the caller's transaction. */
  void deleteSession(long sessionId) throws SQLException {
    deleteSession.setLong(1, sessionId);
    deleteSession.executeUpdate();
    forget();
  }

  /** After a rollback: rows inserted since the last commit are gone. */
  void forget() {
    stored.clear();
  }

  @Override
  public void close() throws SQLException {
    insert.close();
    deleteSession.close();
  }

  /** A ladder list by identity, in one session. */
  private record Key(List<RecordEntry> ladder, long sessionId) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.ladder == ladder && k.sessionId == sessionId;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(ladder) * 31 + Long.hashCode(sessionId);
    }
  }
}
