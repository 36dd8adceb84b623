package dev.plainsight.store;

import dev.plainsight.flow.RawLegs;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The {@code raw_legs} table: each ended client connection's legs, for its packet capture after
 * the proxy has forgotten them (and after a restart). {@link #put} never blocks and never encodes:
 * it queues the connection with the bytes it will take, and the writer encodes and writes it
 * ({@link #write}, inside a transaction that has just written the connections, so the row takes
 * its connection's session and is deleted with it). Queued bytes are bounded: beyond {@code
 * maxQueuedBytes} a connection's legs are not stored (counted in {@link #notStored}); its capture
 * stays available while the proxy still holds it in memory.
 */
final class RawLegTable implements AutoCloseable {
  private record Waiting(long connectionId, long size, Supplier<RawLegs> legs) {}

  private final long maxQueuedBytes;
  private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
  private final Map<Long, Waiting> byId = new ConcurrentHashMap<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong notStored = new AtomicLong();
  private final java.util.List<Waiting> uncommitted = new java.util.ArrayList<>();
  private final java.util.List<Waiting> committing = new java.util.ArrayList<>();
  private final PreparedStatement insert;
  private final PreparedStatement sessionBytes;
  private final PreparedStatement deleteSession;

  RawLegTable(java.sql.Connection c, long maxQueuedBytes) throws SQLException {
    this.maxQueuedBytes = maxQueuedBytes;
    insert = c.prepareStatement("INSERT OR REPLACE INTO raw_legs(connection_id, session_id,"
        + " size, legs, secrets) SELECT id, session_id, ?, ?, ? FROM connections WHERE id = ?");
    sessionBytes = c.prepareStatement("UPDATE sessions SET stored_bytes = stored_bytes + ?"
        + " WHERE id = (SELECT session_id FROM connections WHERE id = ?)");
    deleteSession = c.prepareStatement("DELETE FROM raw_legs WHERE session_id = ?");
  }

  /** Queues a connection's legs ({@code size} bytes once encoded, about) for the writer. */
  void put(long connectionId, long size, Supplier<RawLegs> legs) {
    if (connectionId <= 0) {
      return;
    }
    if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
      queuedBytes.addAndGet(-size);
      notStored.incrementAndGet();
      return;
    }
    Waiting entry = new Waiting(connectionId, size, legs);
    byId.put(connectionId, entry);
    waiting.add(entry);
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  /** Legs queued and not yet written, or empty. */
  Optional<RawLegs> pending(long connectionId) {
    Waiting entry = byId.get(connectionId);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.legs().get());
  }

  /** Encodes and writes the queued legs, inside the writer's transaction (connections written). */
  void write(java.sql.Connection c) throws SQLException {
    for (Waiting entry = waiting.poll(); entry != null; entry = waiting.poll()) {
      queuedBytes.addAndGet(-entry.size());
      RawLegs legs = entry.legs().get();
      if (legs != null) {
        insert.setLong(1, legs.legs().length);
        insert.setBytes(2, legs.legs());
        insert.setString(3, legs.secrets());
        insert.setLong(4, entry.connectionId());
        if (insert.executeUpdate() > 0) {
          sessionBytes.setLong(1, legs.legs().length);
          sessionBytes.setLong(2, entry.connectionId());
          sessionBytes.executeUpdate();
        } else {
          notStored.incrementAndGet();
        }
      }
      uncommitted.add(entry);
    }
  }

  /** The legs written since the last call are about to be committed. */
  void committed() {
    committing.addAll(uncommitted);
    uncommitted.clear();
  }

  /** After a commit: the legs written are readable in the database, no longer held here. */
  void durable() {
    for (Waiting entry : committing) {
      byId.remove(entry.connectionId(), entry);
    }
    committing.clear();
  }

  /** After a rollback: the legs written since the last commit wait again. */
  void reset() {
    committing.addAll(uncommitted);
    for (Waiting entry : committing) {
      queuedBytes.addAndGet(entry.size());
      waiting.add(entry);
    }
    uncommitted.clear();
    committing.clear();
  }

  /** A connection's stored legs, read on a reader connection. */
  static Optional<RawLegs> read(java.sql.Connection c, long connectionId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT legs, secrets FROM raw_legs WHERE connection_id = ?")) {
      s.setLong(1, connectionId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(new RawLegs(connectionId, rs.getBytes(1), rs.getString(2)))
            : Optional.empty();
      }
    }
  }

  /** Deletes the session's legs, inside the caller's transaction. */
  void deleteSession(long sessionId) throws SQLException {
    deleteSession.setLong(1, sessionId);
    deleteSession.executeUpdate();
  }

  /** Connections whose legs were not stored (the queue's bound, or no connection record). */
  long notStoredCount() {
    return notStored.get();
  }

  @Override
  public void close() throws SQLException {
    insert.close();
    sessionBytes.close();
    deleteSession.close();
  }
}
