package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Rewrites a committed flow's record (and its searchable text) with a newer version, inside the
 * writer's open transaction, keeping its session's stored-bytes count right. The summary columns
 * and bodies stay as inserted: an update only adds what came after (WebSocket messages, and the
 * TLS records that carried them). Writer thread only.
 */
final class FlowUpdater implements AutoCloseable {
  private final PreparedStatement sessionOf;
  private final PreparedStatement sessionBytes;
  private final PreparedStatement detail;
  private final PreparedStatement deleteText;
  private final PreparedStatement insertText;

  FlowUpdater(Connection c, boolean fullText) throws SQLException {
    sessionOf = c.prepareStatement("SELECT session_id FROM flows WHERE id = ?");
    sessionBytes = c.prepareStatement("UPDATE sessions SET stored_bytes = stored_bytes + ?"
        + " - (SELECT length(detail) FROM flow_details WHERE id = ?)"
        + " WHERE id = (SELECT session_id FROM flows WHERE id = ?)");
    detail = c.prepareStatement("UPDATE flow_details SET detail = ? WHERE id = ?");
    deleteText = fullText ? c.prepareStatement("DELETE FROM flow_text WHERE rowid = ?") : null;
    insertText = fullText
        ? c.prepareStatement("INSERT INTO flow_text(rowid, text) VALUES (?, ?)") : null;
  }

  /** False when the flow is not stored (its session was deleted, or it was lost). */
  boolean update(Flow flow) throws SQLException {
    Long session = sessionOf(flow.id());
    if (session == null) {
      return false;
    }
    byte[] encoded = FlowCodec.encode(flow);
    sessionBytes.setLong(1, encoded.length);
    sessionBytes.setLong(2, flow.id());
    sessionBytes.setLong(3, flow.id());
    sessionBytes.executeUpdate();
    detail.setBytes(1, encoded);
    detail.setLong(2, flow.id());
    if (detail.executeUpdate() == 0) {
      return false;
    }
    if (deleteText != null) {
      deleteText.setLong(1, flow.id());
      deleteText.executeUpdate();
      insertText.setLong(1, flow.id());
      insertText.setString(2, Texts.ofFlow(flow));
      insertText.executeUpdate();
    }
    return true;
  }

  private Long sessionOf(long flowId) throws SQLException {
    sessionOf.setLong(1, flowId);
    try (ResultSet rs = sessionOf.executeQuery()) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  @Override
  public void close() throws SQLException {
    sessionOf.close();
    sessionBytes.close();
    detail.close();
    if (deleteText != null) {
      deleteText.close();
      insertText.close();
    }
  }
}
