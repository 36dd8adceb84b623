package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.tls.Direction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by schema 3 (built here with the SQL schema 3 had: a flow whose client ladder
 * lives in the ladders table) opens under schema 4 without loss: the flow reads back as before,
 * ladder included, with no connection; new flows get connection ids.
 */
class SchemaThreeMigrationTest {
  @TempDir Path dir;

  @Test
  void aSchemaThreeDatabaseKeepsItsFlowsAndGainsConnections() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Database.FILE));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
      s.execute("CREATE TABLE sessions(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
          + " started_at INTEGER NOT NULL, flow_count INTEGER NOT NULL DEFAULT 0,"
          + " traffic_bytes INTEGER NOT NULL DEFAULT 0, stored_bytes INTEGER NOT NULL DEFAULT 0,"
          + " deleting INTEGER NOT NULL DEFAULT 0)");
      s.execute("CREATE TABLE bodies(id INTEGER PRIMARY KEY, sha256 BLOB NOT NULL UNIQUE,"
          + " refs INTEGER NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL)");
      s.execute("CREATE TABLE flows(id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL,"
          + " kind TEXT NOT NULL, started_at INTEGER NOT NULL, host TEXT, method TEXT,"
          + " status INTEGER, client TEXT, url TEXT, req_body INTEGER, resp_body INTEGER,"
          + " participant TEXT)");
      s.execute("CREATE TABLE flow_details(id INTEGER PRIMARY KEY, detail BLOB NOT NULL,"
          + " client_ladder INTEGER, server_ladder INTEGER)");
      s.execute("CREATE TABLE ladders(id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL,"
          + " entries BLOB NOT NULL)");
      s.execute("CREATE TABLE hosts(name TEXT PRIMARY KEY) WITHOUT ROWID");
      s.execute("INSERT INTO sessions(id, name, started_at, flow_count) VALUES (1, 'old', 0, 1)");
      s.execute("INSERT INTO ladders(id, session_id, entries) VALUES (7, 1, '"
          + "[{\"direction\":\"CLIENT_TO_SERVER\",\"contentType\":\"handshake\",\"version\":771,"
          + "\"length\":512,\"offsetMillis\":0}]')");
      s.execute("INSERT INTO flows(id, session_id, kind, started_at, host, method, status,"
          + " client, url) VALUES (5, 1, 'https-decrypted', 1700000000000, 'a.test', 'GET', 200,"
          + " '127.0.0.1', 'https://a.test/old')");
      try (PreparedStatement detail = c.prepareStatement(
          "INSERT INTO flow_details(id, detail, client_ladder) VALUES (5, ?, 7)")) {
        detail.setBytes(1, ("{\"kind\":\"HTTPS_DECRYPTED\",\"startedAt\":\"2023-11-14T22:13:20Z\","
            + "\"client\":\"127.0.0.1\",\"method\":\"GET\",\"url\":\"https://a.test/old\","
            + "\"host\":\"a.test\",\"port\":443,\"status\":200,\"requestBytes\":0,"
            + "\"responseBytes\":0,\"durationMs\":3,\"wire\":{\"clientSide\":{"
            + "\"clientRecords\":1,\"clientBytes\":517}}}").getBytes(StandardCharsets.UTF_8));
        detail.executeUpdate();
      }
      s.execute("INSERT INTO meta(key, value) VALUES ('next_id', 6)");
      s.execute("PRAGMA user_version = 3");
    }

    try (SqliteFlowStore store = SqliteFlowStore.open(data, StoreOptions.defaults())) {
      Flow old = store.find(5).orElseThrow();
      assertEquals("https://a.test/old", old.url());
      assertEquals(FlowKind.HTTPS_DECRYPTED, old.kind());
      assertEquals(Instant.parse("2023-11-14T22:13:20Z"), old.startedAt());
      assertEquals(1, old.wire().clientSide().ladder().size(), "the ladder is read back");
      assertEquals(Direction.CLIENT_TO_SERVER, old.wire().clientSide().ladder().get(0).direction());
      assertEquals(517, old.wire().clientSide().clientBytes());
      assertNull(old.connection(), "flows stored before schema 4 have no connection");
      assertEquals(1, store.query(FlowQuery.all()).total());

      long id = store.newConnectionId();
      Flow added = store.add(old.withId(0).withConnection(id));
      store.flush();
      assertEquals(6, added.id());
      assertEquals(id, store.find(6).orElseThrow().connection());
      assertEquals(6, store.connectionFlows(id).get(0).id());
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Database.FILE));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      rs.next();
      assertEquals(4, rs.getInt(1));
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(data, StoreOptions.defaults())) {
      assertNotNull(store.find(5).orElseThrow().wire().clientSide());
      long next = store.newConnectionId();
      org.junit.jupiter.api.Assertions.assertTrue(next > store.find(6).orElseThrow().connection(),
          "ids after a restart follow the highest stored");
    }
  }
}
