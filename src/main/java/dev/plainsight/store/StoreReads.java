package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.ParticipantCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Reads beside flows and pages of them: the next flow id, the participants seen, and the flows of one connection
 * (the committed ones and those still queued, taken consistently under the commit lock).
 */
final class StoreReads {
  private StoreReads() {}

  /** Participants of committed flows, by name, sessions being deleted ({@code hidden}) left out. */
  static List<ParticipantCount> participants(Connection c, List<Long> hidden)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT participant, count(*) FROM flows"
        + " WHERE participant IS NOT NULL");
    for (Long id : hidden) {
      sql.append(" AND session_id <> ").append(id.longValue());
    }
    sql.append(" GROUP BY participant ORDER BY participant");
    List<ParticipantCount> seen = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql.toString());
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        seen.add(new ParticipantCount(rs.getString(1), rs.getLong(2)));
      }
    }
    return seen;
  }

  static List<Long> flowIdsOf(Database db, PendingFlows pending, ReadWriteLock commitLock,
      FlowReader reader, long connectionId) {
    List<Flow> waiting = new ArrayList<>();
    List<Long> ids;
    Connection c = db.borrow();
    try {
      commitLock.readLock().lock();
      try {
        for (Flow flow : pending.newestFirst()) {
          if (Long.valueOf(connectionId).equals(flow.connection())) {
            waiting.add(0, flow);
          }
        }
        FlowReader.beginSnapshot(c);
      } finally {
        commitLock.readLock().unlock();
      }
      ids = new ArrayList<>(reader.flowIdsOf(c, connectionId));
    } catch (SQLException e) {
      throw new StoreException("cannot read the capture database: " + e.getMessage(), e);
    } finally {
      db.release(c);
    }
    for (Flow flow : waiting) {
      if (!ids.contains(flow.id())) {
        ids.add(flow.id());
      }
    }
    return ids;
  }

  /** The next flow id: above every stored one and the high-water mark of committed ones. */
  static long firstId(Connection c) throws SQLException {
    long next = 1;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT max(coalesce((SELECT value FROM meta WHERE key = 'next_id'), 1),"
            + " coalesce((SELECT max(id) FROM flows), 0) + 1)");
        ResultSet rs = s.executeQuery()) {
      if (rs.next()) {
        next = rs.getLong(1);
      }
    }
    return next;
  }}
