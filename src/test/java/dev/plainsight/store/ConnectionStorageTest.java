package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.tls.Direction;
import dev.plainsight.tls.RecordEntry;
import dev.plainsight.tls.TlsObservation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection's facts (its TLS observations with their ladders) are stored once, in its row,
 * and come back with every flow on it; connections go with their session; a schema 3 database
 * (ladders in a table of their own) is migrated without loss.
 */
class ConnectionStorageTest {
  @TempDir Path dir;

  private static List<RecordEntry> ladder(int records) {
    List<RecordEntry> entries = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      entries.add(new RecordEntry(i % 2 == 0 ? Direction.CLIENT_TO_SERVER
          : Direction.SERVER_TO_CLIENT, i < 4 ? "handshake" : "application_data", 0x0303,
          100 + i, i * 3L));
    }
    return List.copyOf(entries);
  }

  private static TlsObservation side(List<RecordEntry> ladder, long exchange) {
    return new TlsObservation(null, null, List.of(), List.of(), ladder, 10 + exchange,
        5_000 + exchange * 300, 10 + exchange, 9_000 + exchange * 1_200, true, List.of());
  }

  /** An exchange on an intercepted connection, seeing the connection's ladders so far. */
  private static Flow exchange(int n, List<RecordEntry> client, List<RecordEntry> server) {
    String url = "https://shop.example/item/" + n;
    return new FlowBuilder()
        .session("")
        .kind(FlowKind.HTTPS_DECRYPTED)
        .startedAt(Flows.T0.plusSeconds(n))
        .client("127.0.0.1:40000")
        .method("GET")
        .url(url)
        .host("shop.example")
        .port(443)
        .status(200)
        .request(new CapturedRequest("GET", url, "HTTP/1.1", List.of(), Body.EMPTY))
        .wire(new WireObservations(null, side(client, n), side(server, n)))
        .build();
  }

  private static String json(Flow flow) {
    try {
      return FlowCodec.JSON.writeValueAsString(flow);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static dev.plainsight.flow.Connection connection(long id, String session,
      List<RecordEntry> client, List<RecordEntry> server) {
    return new dev.plainsight.flow.Connection(id, session, "127.0.0.1", 40000, Flows.T0,
        "shop.example:443", dev.plainsight.flow.Connection.Handling.INTERCEPTED, null, 3L, null,
        side(client, 0), side(server, 0), List.of(), null, null, 0);
  }

  @Test
  void aKeepAliveConnectionIsStoredOnceAndEachExchangeComesBackWithItsFacts() throws Exception {
    List<RecordEntry> client = ladder(64);
    List<RecordEntry> server = ladder(40);
    List<Flow> added = new ArrayList<>();
    long connectionId;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      connectionId = store.openConnection();
      String session = store.sessions().currentId();
      store.putConnection(connection(connectionId, session, client, server));
      for (int n = 0; n < 30; n++) {
        added.add(store.add(exchange(n, client, server).withConnection(connectionId)));
      }
      store.flush();
      assertEquals(List.copyOf(added.stream().map(Flow::id).toList()),
          store.flowIdsOf(connectionId));
    }
    assertEquals(1, Db.count(dir, "SELECT count(*) FROM connections"));
    assertEquals(30, Db.count(dir, "SELECT count(*) FROM flow_details"));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve(Database.FILE));
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT detail FROM flow_details")) {
      while (rs.next()) {
        String detail = new String(DetailPacking.unpack(rs.getBytes(1)),
            java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(detail.startsWith("{\"kind\""), detail);
        assertFalse(detail.contains("ladder"), "no exchange repeats its connection's ladders");
      }
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      for (Flow flow : added) {
        Flow back = store.find(flow.id()).orElseThrow();
        assertEquals(client, back.wire().clientSide().ladder(), "flow " + flow.id());
        assertEquals(server, back.wire().serverSide().ladder(), "flow " + flow.id());
        assertEquals(connectionId, back.connection());
      }
      assertTrue(store.openConnection() > connectionId, "ids stay unique after a restart");
    }
  }

  /**
   * The writer keeps its batch open for the flows that follow; meanwhile a connection written in
   * it, and a participant of its flows, are readable at every moment, never "not found".
   */
  @Test
  void aConnectionAndAParticipantAreReadableWhileTheirBatchIsStillOpen() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String session = store.sessions().currentId();
      for (int n = 0; n < 200; n++) {
        long id = store.openConnection();
        store.putConnection(connection(id, session, ladder(4), ladder(4)));
        store.add(new FlowBuilder().session("").kind(FlowKind.HTTP).startedAt(Flows.T0)
            .client("127.0.0.1:40000").method("GET").url("http://shop.example/" + n)
            .host("shop.example").port(80).status(200).participant("p" + n).connection(id)
            .build());
        for (int look = 0; look < 5; look++) {
          assertTrue(store.findConnection(id).isPresent(), "connection " + id + ", look " + look);
          String name = "p" + n;
          assertTrue(store.participants().stream().anyMatch(p -> p.name().equals(name)), name);
          Thread.onSpinWait();
        }
      }
    }
  }

  @Test
  void aDeletedSessionTakesItsConnectionsAndLeavesTheOthers() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String old = store.sessions().currentId();
      long first = store.openConnection();
      store.putConnection(connection(first, old, ladder(8), ladder(8)));
      store.add(exchange(1, ladder(8), ladder(8)).withConnection(first));
      store.flush();
      String next = store.sessions().start("after the break").id();
      long second = store.openConnection();
      store.putConnection(connection(second, next, ladder(9), ladder(9)));
      Flow kept = store.add(exchange(2, ladder(9), ladder(9)).withConnection(second));
      store.flush();
      assertEquals(2, Db.count(dir, "SELECT count(*) FROM connections"));
      store.sessions().delete(old);
      store.flush();
      assertEquals(1, Db.count(dir, "SELECT count(*) FROM connections"));
      assertEquals(ladder(9), store.find(kept.id()).orElseThrow().wire().clientSide().ladder());
      assertTrue(store.findConnection(first).isEmpty());
      assertEquals(1, store.query(FlowQuery.all()).total());
    }
  }

  /**
   * A database as schema 3 wrote it (raw SQL: its tables, a session, a flow whose ladders live in
   * the ladders table): opened, it becomes schema 4, and the flow comes back exactly as before.
   */
  @Test
  void aSchemaThreeDatabaseIsMigratedWithoutLoss() throws Exception {
    Flow old = exchange(1, ladder(12), ladder(10)).withSession("1").withId(7);
    com.fasterxml.jackson.databind.node.ObjectNode detail = FlowCodec.STORED.valueToTree(old);
    ((com.fasterxml.jackson.databind.node.ObjectNode) detail.path("wire").path("clientSide"))
        .remove("ladder");
    ((com.fasterxml.jackson.databind.node.ObjectNode) detail.path("wire").path("serverSide"))
        .remove("ladder");
    java.nio.file.Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE));
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
      s.execute("INSERT INTO sessions(id, name, started_at, flow_count) VALUES (1, 'old lab', "
          + Flows.T0.toEpochMilli() + ", 1)");
      s.execute("INSERT INTO flows(id, session_id, kind, started_at, host, method, status,"
          + " client, url) VALUES (7, 1, 'https-decrypted', " + Flows.T0.plusSeconds(1)
          .toEpochMilli() + ", 'shop.example', 'GET', 200, '127.0.0.1:40000',"
          + " 'https://shop.example/item/1')");
      try (PreparedStatement ladders = c.prepareStatement(
          "INSERT INTO ladders(id, session_id, entries) VALUES (?, 1, ?)");
          PreparedStatement row = c.prepareStatement(
              "INSERT INTO flow_details(id, detail, client_ladder, server_ladder)"
                  + " VALUES (7, ?, 1, 2)")) {
        ladders.setLong(1, 1);
        ladders.setBytes(2, FlowCodec.JSON.writeValueAsBytes(ladder(12)));
        ladders.executeUpdate();
        ladders.setLong(1, 2);
        ladders.setBytes(2, FlowCodec.JSON.writeValueAsBytes(ladder(10)));
        ladders.executeUpdate();
        row.setBytes(1, FlowCodec.STORED.writeValueAsBytes(detail));
        row.executeUpdate();
      }
      s.execute("PRAGMA user_version = 3");
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow back = store.find(7).orElseThrow();
      assertEquals(json(old), json(back), "the old flow, its ladders back in place");
      assertEquals(null, back.connection());
      assertEquals(List.of(7L), store.query(FlowQuery.all()).flows().stream().map(Flow::id)
          .toList(), "still listed");
      Flow added = store.add(exchange(2, ladder(3), ladder(3)));
      store.flush();
      assertEquals(json(added), json(store.find(added.id()).orElseThrow()));
    }
    assertEquals(4, Db.count(dir, "PRAGMA user_version"));
    assertEquals(0, Db.count(dir,
        "SELECT count(*) FROM sqlite_master WHERE name = 'ladders'"), "the ladders table is gone");
    assertEquals(0, Db.count(dir, "SELECT count(*) FROM pragma_table_info('flow_details')"
        + " WHERE name LIKE '%ladder%'"));
  }
}
