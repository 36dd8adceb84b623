package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The TLS record ladders of a connection's exchanges are stored once per session, come back whole
 * with every flow, go with their session, and rows from before schema 3 (ladders inline) still
 * load.
 */
class LadderStorageTest {
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

  @Test
  void aKeepAliveConnectionsLaddersAreStoredOnceAndComeBackWithEveryExchange() {
    List<RecordEntry> client = ladder(64);
    List<RecordEntry> server = ladder(40);
    List<Flow> added = new ArrayList<>();
    String session;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      for (int n = 0; n < 30; n++) {
        added.add(store.add(exchange(n, client, server)));
      }
      added.add(store.add(exchange(30, client, ladder(41))));
      store.flush();
      session = store.sessions().currentId();
    }
    assertEquals(3, Db.count(dir, "SELECT count(*) FROM ladders"),
        "one row per distinct ladder list: the client's, the server's, the server's grown one");
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      for (Flow flow : added) {
        assertEquals(json(flow.withSession(session)), json(store.find(flow.id()).orElseThrow()),
            "flow " + flow.id() + " comes back with its ladders and its own counts");
      }
    }
  }

  @Test
  void equalLaddersOfOtherConnectionsAreNotMistakenForOne() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow first = store.add(exchange(1, ladder(8), ladder(8)));
      Flow second = store.add(exchange(2, ladder(9), ladder(9)));
      store.flush();
      assertEquals(json(first), json(store.find(first.id()).orElseThrow()));
      assertEquals(json(second), json(store.find(second.id()).orElseThrow()));
    }
    assertEquals(4, Db.count(dir, "SELECT count(*) FROM ladders"));
  }

  @Test
  void aDeletedSessionTakesItsLaddersAndLeavesTheOthers() {
    List<RecordEntry> client = ladder(64);
    List<RecordEntry> server = ladder(64);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      String old = store.sessions().currentId();
      store.add(exchange(1, client, server));
      store.flush();
      store.sessions().start("after the break");
      Flow kept = store.add(exchange(2, client, server));
      store.flush();
      assertEquals(4, Db.count(dir, "SELECT count(*) FROM ladders"),
          "a connection that spans two sessions has its ladders in each");
      store.sessions().delete(old);
      store.flush();
      assertEquals(2, Db.count(dir, "SELECT count(*) FROM ladders"));
      assertEquals(json(kept), json(store.find(kept.id()).orElseThrow()));
      assertEquals(1, store.query(FlowQuery.all()).total());
    }
  }

  @Test
  void aSchemaTwoDatabaseGainsTheColumnsAndItsInlineLaddersStillLoad() throws Exception {
    Flow old;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      old = store.add(exchange(1, ladder(12), ladder(10)));
      store.flush();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE));
        Statement s = c.createStatement();
        PreparedStatement inline = c.prepareStatement(
            "UPDATE flow_details SET detail = ? WHERE id = ?")) {
      inline.setBytes(1, FlowCodec.STORED.writeValueAsBytes(old));
      inline.setLong(2, old.id());
      inline.executeUpdate();
      s.execute("ALTER TABLE flow_details DROP COLUMN client_ladder");
      s.execute("ALTER TABLE flow_details DROP COLUMN server_ladder");
      s.execute("DROP TABLE ladders");
      s.execute("PRAGMA user_version = 2");
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals(json(old), json(store.find(old.id()).orElseThrow()), "the inline ladders");
      Flow added = store.add(exchange(2, ladder(12), ladder(10)));
      store.flush();
      assertEquals(json(added), json(store.find(added.id()).orElseThrow()));
    }
    assertEquals(2, Db.count(dir, "SELECT count(*) FROM ladders"));
    assertEquals(1, Db.count(dir, "SELECT count(*) FROM flow_details WHERE client_ladder IS NULL"),
        "the old row keeps its ladders inline");
  }
}
