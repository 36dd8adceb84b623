package dev.plainsight.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Schema 3 to 4: schema 3 kept each flow's TLS record ladders in a {@code ladders} table, shared
 * by identity between the exchanges of a connection, and referred to them from {@code
 * flow_details}. Schema 4 keeps connection facts in {@code connections}; flows of schema 3 have
 * no connection, so their ladders are put back into their own records (what they show stays the
 * same), the references dropped and the table removed. Runs inside the opening transaction;
 * does nothing on a database without the ladders table.
 */
final class LadderMigration {
  private LadderMigration() {}

  static void run(Connection c, Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ladders'")) {
      if (!rs.next() || rs.getLong(1) == 0) {
        return;
      }
    }
    if (hasColumn(s, "client_ladder")) {
      inline(c);
      s.execute("ALTER TABLE flow_details DROP COLUMN client_ladder");
      s.execute("ALTER TABLE flow_details DROP COLUMN server_ladder");
    }
    s.execute("DROP TABLE ladders");
  }

  private static void inline(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT d.id, d.detail, cl.entries,"
        + " sl.entries FROM flow_details d LEFT JOIN ladders cl ON cl.id = d.client_ladder"
        + " LEFT JOIN ladders sl ON sl.id = d.server_ladder"
        + " WHERE d.client_ladder IS NOT NULL OR d.server_ladder IS NOT NULL");
        PreparedStatement update =
            c.prepareStatement("UPDATE flow_details SET detail = ? WHERE id = ?");
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong(1);
        try {
          JsonNode tree = FlowCodec.JSON.readTree(rs.getBytes(2));
          put(tree.path("wire").get("clientSide"), rs.getBytes(3));
          put(tree.path("wire").get("serverSide"), rs.getBytes(4));
          update.setBytes(1, FlowCodec.JSON.writeValueAsBytes(tree));
        } catch (IOException e) {
          throw new StoreException("flow " + id + " is unreadable in the database: "
              + e.getMessage(), e);
        }
        update.setLong(2, id);
        update.executeUpdate();
      }
    }
  }

  private static void put(JsonNode side, byte[] ladder) throws IOException {
    if (ladder != null && side instanceof ObjectNode o) {
      o.set("ladder", FlowCodec.JSON.readTree(ladder));
    }
  }

  private static boolean hasColumn(Statement s, String column) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pragma_table_info('flow_details')"
        + " WHERE name = '" + column + "'")) {
      return rs.next() && rs.getLong(1) > 0;
    }
  }
}
