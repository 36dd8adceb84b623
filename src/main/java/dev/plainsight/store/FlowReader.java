package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads flows on a borrowed reader connection: one flow whole (with its body bytes), a page of a
 * query newest first (bodies left out: sizes only), the count of a query, and a session's flows
 * whole in id order, a chunk at a time.
 */
final class FlowReader {
  private static final String COLUMNS =
      "SELECT f.id, f.session_id, d.detail, f.req_body, f.resp_body FROM flows f"
          + " JOIN flow_details d ON d.id = f.id";

  Optional<Flow> find(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " WHERE f.id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(whole(c, rs)) : Optional.empty();
      }
    }
  }

  long count(Connection c, QuerySql sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM flows f" + sql.where())) {
      sql.bind(s);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  List<Flow> page(Connection c, QuerySql sql, int offset, int limit) throws SQLException {
    List<Flow> flows = new ArrayList<>(limit);
    try (PreparedStatement s = c.prepareStatement(
        COLUMNS + sql.where() + " ORDER BY f.id DESC LIMIT ? OFFSET ?")) {
      int next = sql.bind(s);
      s.setInt(next, limit);
      s.setInt(next + 1, offset);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          flows.add(FlowCodec.decode(rs.getBytes(3), rs.getLong(1),
              Long.toString(rs.getLong(2))));
        }
      }
    }
    return flows;
  }

  /** Up to {@code limit} whole flows of the session with ids above {@code afterId}, oldest first. */
  List<Flow> sessionChunk(Connection c, long sessionId, long afterId, int limit)
      throws SQLException {
    List<Flow> flows = new ArrayList<>(limit);
    try (PreparedStatement s = c.prepareStatement(
        COLUMNS + " WHERE f.session_id = ? AND f.id > ? ORDER BY f.id LIMIT ?")) {
      s.setLong(1, sessionId);
      s.setLong(2, afterId);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          flows.add(whole(c, rs));
        }
      }
    }
    return flows;
  }

  /** The first row of any query: starts the reader's snapshot. */
  static void beginSnapshot(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM meta");
        ResultSet rs = s.executeQuery()) {
      rs.next();
    }
  }

  private Flow whole(Connection c, ResultSet rs) throws SQLException {
    byte[] detail = rs.getBytes(3);
    long requestBody = rs.getLong(4);
    byte[] request = rs.wasNull() ? null : body(c, requestBody);
    long responseBody = rs.getLong(5);
    byte[] response = rs.wasNull() ? null : body(c, responseBody);
    return FlowCodec.decode(detail, rs.getLong(1), Long.toString(rs.getLong(2)), request,
        response);
  }

  private static byte[] body(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT data FROM bodies WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }
}
