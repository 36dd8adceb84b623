package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Writes prepared flows ({@link PreparedFlow}) into the open writer transaction: the connection records waiting (so a flow's
 * connection row is there with it), the summary row, the serialized record (its connection's facts
 * left to the connection's row), the bodies (shared by hash), the searchable text and the session
 * counters. {@link #finish} writes the per-session sums and the id high-water mark before the
 * commit; {@link #reset} forgets them, and puts the connection records back, after a rollback.
 * Writer thread only.
 */
final class FlowInserter implements AutoCloseable {
  private final SessionCatalog catalog;
  private final BodyTable bodies;
  private final ConnectionTable connections;
  private final PreparedStatement flowRow;
  private final PreparedStatement detailRow;
  private final PreparedStatement textRow;
  private final PreparedStatement hostRow;
  private final PreparedStatement sessionSums;
  private final PreparedStatement highWater;
  private final Map<Long, long[]> sums = new HashMap<>();
  private long maxId;

  FlowInserter(Connection c, SessionCatalog catalog, BodyTable bodies,
      ConnectionTable connections, boolean fullText) throws SQLException {
    this.catalog = catalog;
    this.bodies = bodies;
    this.connections = connections;
    flowRow = c.prepareStatement("INSERT INTO flows(id, session_id, kind, started_at, host, "
        + "method, status, client, url, req_body, resp_body, participant, connection)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    detailRow = c.prepareStatement("INSERT INTO flow_details(id, detail) VALUES (?, ?)");
    textRow = fullText
        ? c.prepareStatement("INSERT INTO flow_text(rowid, text) VALUES (?, ?)") : null;
    hostRow = c.prepareStatement("INSERT OR IGNORE INTO hosts(name) VALUES (?)");
    sessionSums = c.prepareStatement("UPDATE sessions SET flow_count = flow_count + ?, "
        + "traffic_bytes = traffic_bytes + ?, stored_bytes = stored_bytes + ? WHERE id = ?");
    highWater = c.prepareStatement("INSERT INTO meta(key, value) VALUES ('next_id', ?) "
        + "ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)");
  }

  /** False when the flow's session no longer exists (deleted meanwhile): nothing is written. */
  boolean insert(Connection c, PreparedFlow prepared) throws SQLException {
    if (prepared.failure() != null) {
      throw prepared.failure();
    }
    Flow flow = prepared.flow();
    OptionalLong session = catalog.forFlow(c, flow.session(), flow.startedAt());
    maxId = Math.max(maxId, flow.id());
    if (session.isEmpty()) {
      return false;
    }
    byte[] requestBody = prepared.requestBody();
    byte[] responseBody = prepared.responseBody();
    Long requestId = flow.request() == null ? null
        : bodies.put(requestBody, prepared.requestDigest(), flow.request().headers());
    Long responseId = flow.response() == null ? null
        : bodies.put(responseBody, prepared.responseDigest(), flow.response().headers());
    if (flow.connection() != null && connections.hasWaiting()) {
      connections.write(c);
    }
    byte[] detail = prepared.detail();
    String host = prepared.host();

    flowRow.setLong(1, flow.id());
    flowRow.setLong(2, session.getAsLong());
    flowRow.setString(3, flow.kind().wire());
    flowRow.setLong(4, flow.startedAt() == null ? 0 : flow.startedAt().toEpochMilli());
    flowRow.setString(5, host);
    flowRow.setString(6, prepared.method());
    setInteger(flowRow, 7, flow.status());
    flowRow.setString(8, flow.client());
    flowRow.setString(9, flow.url());
    setLong(flowRow, 10, requestId);
    setLong(flowRow, 11, responseId);
    flowRow.setString(12, flow.participant());
    setLong(flowRow, 13, flow.connection());
    flowRow.executeUpdate();

    detailRow.setLong(1, flow.id());
    detailRow.setBytes(2, detail);
    detailRow.executeUpdate();
    if (textRow != null && prepared.text() != null) {
      textRow.setLong(1, flow.id());
      textRow.setString(2, prepared.text());
      textRow.executeUpdate();
    }
    if (host != null) {
      hostRow.setString(1, host);
      hostRow.executeUpdate();
    }
    long[] sum = sums.computeIfAbsent(session.getAsLong(), id -> new long[3]);
    sum[0]++;
    sum[1] += flow.requestBytes() + flow.responseBytes();
    sum[2] += detail.length + requestBody.length + responseBody.length;
    return true;
  }

  /** Writes the session sums and the id high-water mark of the flows inserted since the last. */
  void finish() throws SQLException {
    for (Map.Entry<Long, long[]> entry : sums.entrySet()) {
      long[] sum = entry.getValue();
      sessionSums.setLong(1, sum[0]);
      sessionSums.setLong(2, sum[1]);
      sessionSums.setLong(3, sum[2]);
      sessionSums.setLong(4, entry.getKey());
      sessionSums.executeUpdate();
    }
    if (maxId > 0) {
      highWater.setLong(1, maxId + 1);
      highWater.executeUpdate();
    }
    clearSums();
    connections.committed();
  }

  /** After a rollback (of inserts or of any other writer work): forgets what was not committed. */
  void reset() {
    clearSums();
    connections.reset();
  }

  private void clearSums() {
    sums.clear();
    maxId = 0;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement s : List.of(flowRow, detailRow, hostRow, sessionSums, highWater)) {
      s.close();
    }
    if (textRow != null) {
      textRow.close();
    }
  }

  private static void setInteger(PreparedStatement s, int index, Integer value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setInt(index, value);
    }
  }

  static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setLong(index, value);
    }
  }
}
