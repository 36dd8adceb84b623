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
 * Reads flows on a borrowed reader connection: one flow whole (with its body bytes and TLS record
 * ladders), a page of a query newest first (bodies, ladders and WebSocket payloads left out: sizes
 * only), the count of a query, and a session's flows whole in id order, a chunk at a time.
 */
final class FlowReader {
  private static final String COLUMNS =
      "SELECT f.id, f.session_id, d.detail FROM flows f JOIN flow_details d ON d.id = f.id";
  private static final String WHOLE =
      "SELECT f.id, f.session_id, d.detail, rb.data, sb.data, cl.entries, sl.entries FROM flows f"
          + " JOIN flow_details d ON d.id = f.id"
          + " LEFT JOIN bodies rb ON rb.id = f.req_body"
          + " LEFT JOIN bodies sb ON sb.id = f.resp_body"
          + " LEFT JOIN ladders cl ON cl.id = d.client_ladder"
          + " LEFT JOIN ladders sl ON sl.id = d.server_ladder";

  Optional<Flow> find(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(WHOLE + " WHERE f.id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(whole(rs)) : Optional.empty();
      }
    }
  }

  /** Without filters other than the session, the sessions' running counts answer at once. */
  long count(Connection c, QuerySql sql, Long sessionId) throws SQLException {
    String query = sql.onlySession()
        ? "SELECT coalesce(sum(flow_count), 0) FROM sessions WHERE deleting = 0"
            + (sessionId == null ? "" : " AND id = " + sessionId.longValue())
        : "SELECT count(*) FROM flows f" + sql.where();
    try (PreparedStatement s = c.prepareStatement(query)) {
      if (!sql.onlySession()) {
        sql.bind(s);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The ids are picked on the narrow table first, so only the page's records are read. */
  List<Flow> page(Connection c, QuerySql sql, int offset, int limit) throws SQLException {
    List<Flow> flows = new ArrayList<>(limit);
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " WHERE f.id IN"
        + " (SELECT f.id FROM flows f" + sql.where() + " ORDER BY f.id DESC LIMIT ? OFFSET ?)"
        + " ORDER BY f.id DESC")) {
      int next = sql.bind(s);
      s.setInt(next, limit);
      s.setInt(next + 1, offset);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          flows.add(FlowCodec.decodeSummary(rs.getBytes(3), rs.getLong(1),
              Long.toString(rs.getLong(2))));
        }
      }
    }
    return flows;
  }

  /** Up to {@code limit} whole flows of a session with ids above {@code afterId}, oldest first. */
  List<Flow> sessionChunk(Connection c, long sessionId, long afterId, int limit)
      throws SQLException {
    List<Flow> flows = new ArrayList<>(limit);
    try (PreparedStatement s = c.prepareStatement(
        WHOLE + " WHERE f.session_id = ? AND f.id > ? ORDER BY f.id LIMIT ?")) {
      s.setLong(1, sessionId);
      s.setLong(2, afterId);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          flows.add(whole(rs));
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

  private static Flow whole(ResultSet rs) throws SQLException {
    return FlowCodec.decode(rs.getBytes(3), rs.getLong(1), Long.toString(rs.getLong(2)),
        new FlowCodec.StoredParts(rs.getBytes(4), rs.getBytes(5), rs.getBytes(6), rs.getBytes(7)));
  }
}
