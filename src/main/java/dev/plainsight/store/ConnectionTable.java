package dev.plainsight.store;

import dev.plainsight.flow.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections table and the records on their way to it. {@link #nextId} hands out ids unique
 * in the database (seeded from the highest stored one) to connections as they open, from any
 * thread; {@link #put} keeps the newest record of a connection for the writer, never blocking.
 * The writer calls {@link #write} at the start of each batch (so every flow of the batch finds its
 * connection's row in the same transaction, the record having been put before the flow was
 * added) and whenever records wait; a rollback puts the records written since the last {@link
 * #committed} back. {@link #pending} answers readers for records not yet written. An ended
 * connection's raw legs ({@link RawLegTable}) are written right after the records, so they find
 * their connection's row, and are deleted with its session.
 */
final class ConnectionTable implements AutoCloseable {
  private final AtomicLong lastId;
  private final Map<Long, Connection> waiting = new ConcurrentHashMap<>();
  private final List<Connection> uncommitted = new ArrayList<>();
  /** Written in the open transaction, so not yet readable from the database: still found here. */
  private final Map<Long, Connection> written = new ConcurrentHashMap<>();
  private final SessionCatalog catalog;
  private final RawLegTable legs;
  private PreparedStatement upsert;
  private PreparedStatement deleteSession;

  ConnectionTable(java.sql.Connection c, SessionCatalog catalog, RawLegTable legs)
      throws SQLException {
    this.catalog = catalog;
    this.legs = legs;
    try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(id), 0) FROM connections");
        ResultSet rs = s.executeQuery()) {
      lastId = new AtomicLong(rs.next() ? rs.getLong(1) : 0);
    }
    upsert = c.prepareStatement("INSERT INTO connections(id, session_id, opened_at, detail)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET detail = excluded.detail,"
        + " session_id = coalesce(connections.session_id, excluded.session_id)");
    deleteSession = c.prepareStatement("DELETE FROM connections WHERE session_id = ?");
  }

  long nextId() {
    return lastId.incrementAndGet();
  }

  void put(Connection connection) {
    if (connection.id() > 0) {
      waiting.merge(connection.id(), connection, ConnectionTable::newer);
    }
  }

  /** A record not yet written (the newest put), or null. */
  Connection pending(long id) {
    Connection connection = waiting.get(id);
    return connection != null ? connection : written.get(id);
  }

  boolean hasWaiting() {
    return !waiting.isEmpty() || legs.hasWaiting();
  }

  RawLegTable legs() {
    return legs;
  }

  /** Writes the records waiting, inside the writer's transaction. */
  void write(java.sql.Connection c) throws SQLException {
    for (Long id : List.copyOf(waiting.keySet())) {
      Connection connection = waiting.get(id);
      if (connection == null) {
        continue;
      }
      upsert.setLong(1, id);
      OptionalLong session = connection.session() == null ? OptionalLong.empty()
          : catalog.resolve(connection.session());
      FlowInserter.setLong(upsert, 2, session.isPresent() ? session.getAsLong() : null);
      upsert.setLong(3, connection.openedAt() == null ? 0 : connection.openedAt().toEpochMilli());
      upsert.setBytes(4, FlowCodec.encodeConnection(connection));
      upsert.executeUpdate();
      written.put(id, connection);
      waiting.remove(id, connection);
      uncommitted.add(connection);
    }
    legs.write(c);
  }

  /** Writes the records waiting in a transaction of their own, which the caller commits. */
  void writeOnly(java.sql.Connection c) throws SQLException {
    write(c);
    committed();
  }

  /** The records written since the last call are committed. */
  void committed() {
    uncommitted.clear();
    legs.committed();
  }

  /** After a rollback: the records written since the last commit wait again. */
  void reset() {
    for (Connection connection : uncommitted) {
      put(connection);
    }
    uncommitted.clear();
    written.clear();
    legs.reset();
  }

  /** After a commit: what was written is in the database now, readable there. */
  void durable() {
    written.clear();
    legs.durable();
  }

  /** Deletes the session's connections, inside the caller's transaction. */
  void deleteSession(long sessionId) throws SQLException {
    legs.deleteSession(sessionId);
    deleteSession.setLong(1, sessionId);
    deleteSession.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    upsert.close();
    deleteSession.close();
    legs.close();
  }

  /** A closed record wins over an open one; otherwise the one put last. */
  private static Connection newer(Connection old, Connection put) {
    return old.closedAt() != null && put.closedAt() == null ? old : put;
  }
}
