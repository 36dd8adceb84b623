package dev.plainsight.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes sessions marked {@code deleting} a chunk of flows per transaction, so that capture goes
 * on while a large session disappears: each {@link #step} removes up to {@link #CHUNK} flows with
 * their records, text and body references; the last one removes the session's connections and
 * the session row and hands free pages back to the file system. Marked sessions survive a restart and are resumed. Writer thread
 * only.
 */
final class SessionDeleter implements AutoCloseable {
  static final int CHUNK = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(SessionDeleter.class);

  private final SessionCatalog catalog;
  private final BodyTable bodies;
  private final ConnectionTable connections;
  private final ArrayDeque<Long> queue = new ArrayDeque<>();
  private final PreparedStatement select;
  private final PreparedStatement deleteFlow;
  private final PreparedStatement deleteDetail;
  private final PreparedStatement deleteText;
  private final PreparedStatement deleteSession;

  SessionDeleter(Connection c, SessionCatalog catalog, BodyTable bodies,
      ConnectionTable connections,
      boolean fullText) throws SQLException {
    this.catalog = catalog;
    this.bodies = bodies;
    this.connections = connections;
    select = c.prepareStatement(
        "SELECT id, req_body, resp_body FROM flows WHERE session_id = ? LIMIT " + CHUNK);
    deleteFlow = c.prepareStatement("DELETE FROM flows WHERE id = ?");
    deleteDetail = c.prepareStatement("DELETE FROM flow_details WHERE id = ?");
    deleteText = fullText ? c.prepareStatement("DELETE FROM flow_text WHERE rowid = ?") : null;
    deleteSession = c.prepareStatement("DELETE FROM sessions WHERE id = ?");
  }

  /** Queues the sessions already marked (after a restart). */
  void resume() {
    for (Long id : catalog.deletingIds()) {
      schedule(id);
    }
  }

  void schedule(long sessionId) {
    if (!queue.contains(sessionId)) {
      queue.add(sessionId);
    }
  }

  boolean busy() {
    return !queue.isEmpty();
  }

  /** Deletes the next chunk inside the caller's transaction; the caller commits. */
  void step(Connection c) throws SQLException {
    Long sessionId = queue.peek();
    if (sessionId == null) {
      return;
    }
    List<Long> flowIds = new ArrayList<>();
    Map<Long, Integer> references = new HashMap<>();
    select.setLong(1, sessionId);
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        flowIds.add(rs.getLong(1));
        count(references, rs.getLong(2), rs.wasNull());
        count(references, rs.getLong(3), rs.wasNull());
      }
    }
    for (long id : flowIds) {
      deleteFlow.setLong(1, id);
      deleteFlow.addBatch();
      deleteDetail.setLong(1, id);
      deleteDetail.addBatch();
      if (deleteText != null) {
        deleteText.setLong(1, id);
        deleteText.addBatch();
      }
    }
    if (!flowIds.isEmpty()) {
      deleteFlow.executeBatch();
      deleteDetail.executeBatch();
      if (deleteText != null) {
        deleteText.executeBatch();
      }
      bodies.release(references);
    }
    if (flowIds.size() < CHUNK) {
      connections.deleteSession(sessionId);
      deleteSession.setLong(1, sessionId);
      deleteSession.executeUpdate();
      try (Statement s = c.createStatement()) {
        s.executeUpdate("PRAGMA incremental_vacuum");
      }
      queue.remove();
      catalog.reload(c);
      LOG.debug("session {} deleted", sessionId);
    }
  }

  @Override
  public void close() throws SQLException {
    select.close();
    deleteFlow.close();
    deleteDetail.close();
    if (deleteText != null) {
      deleteText.close();
    }
    deleteSession.close();
  }

  private static void count(Map<Long, Integer> references, long bodyId, boolean isNull) {
    if (!isNull) {
      references.merge(bodyId, 1, Integer::sum);
    }
  }
}
