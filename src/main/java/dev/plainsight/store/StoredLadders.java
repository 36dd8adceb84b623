package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import dev.plainsight.tls.TlsObservation;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The ladder rows of one flow's two TLS sides (client–proxy, proxy–server), as the detail row
 * refers to them: null where the flow has no such side or an empty ladder.
 */
record StoredLadders(LadderTable.Stored client, LadderTable.Stored server) {

  /** Stores (or finds) the flow's ladders for its session, in the writer's transaction. */
  static StoredLadders of(LadderTable ladders, Flow flow, long sessionId) throws SQLException {
    return new StoredLadders(put(ladders, flow.wire().clientSide(), sessionId),
        put(ladders, flow.wire().serverSide(), sessionId));
  }

  /** Binds the client and server ladder ids to parameters {@code index} and {@code index + 1}. */
  void bind(PreparedStatement s, int index) throws SQLException {
    FlowInserter.setLong(s, index, client == null ? null : client.id());
    FlowInserter.setLong(s, index + 1, server == null ? null : server.id());
  }

  /** Bytes written for ladders not stored before. */
  long newBytes() {
    return (client == null ? 0 : client.newBytes()) + (server == null ? 0 : server.newBytes());
  }

  private static LadderTable.Stored put(LadderTable ladders, TlsObservation side, long sessionId)
      throws SQLException {
    return side == null ? null : ladders.put(side.ladder(), sessionId);
  }
}
