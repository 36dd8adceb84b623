package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.tls.Direction;
import dev.plainsight.tls.TlsObservation;
import dev.plainsight.tls.TlsObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hello bytes are stored with the flow and come back whole; summaries leave them out; a row
 * written before they were kept still loads, with no bytes.
 */
class HelloBytesStorageTest {
  @TempDir Path dir;

  static TlsObservation observed(String fixture) throws IOException {
    byte[] bytes;
    try (InputStream in = HelloBytesStorageTest.class.getResourceAsStream("/tls/" + fixture)) {
      bytes = in.readAllBytes();
    }
    TlsObserver observer = new TlsObserver();
    observer.onBytes(Direction.CLIENT_TO_SERVER, bytes, 0, bytes.length, 0);
    return observer.snapshot();
  }

  static Flow tunnel(TlsObservation side) {
    return new FlowBuilder().session("").kind(FlowKind.HTTPS_TUNNEL).startedAt(Flows.T0)
        .client("127.0.0.1:40000").method("CONNECT").host("shop.example").port(443)
        .wire(new WireObservations(null, side, null)).build();
  }

  @Test
  void aStoredFlowKeepsItsClientHelloBytes() throws Exception {
    TlsObservation side = observed("client-hello-chromium.bin");
    assertNotNull(side.clientHelloRecord());
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow flow = store.add(tunnel(side));
      store.flush();
      TlsObservation back = store.find(flow.id()).orElseThrow().wire().clientSide();
      assertArrayEquals(side.clientHelloRecord().bytes(), back.clientHelloRecord().bytes());
      assertEquals(side.clientHelloRecord(), back.clientHelloRecord());
      assertNull(FlowCodec.decodeSummary(FlowCodec.encode(flow), flow.id(), "")
          .wire().clientSide().clientHelloRecord(), "summaries skip the bytes");
    }
  }

  @Test
  void aRowStoredBeforeHelloBytesWereKeptLoadsWithoutThem() throws Exception {
    TlsObservation side = observed("client-hello-curl.bin");
    Flow flow;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      flow = store.add(tunnel(side));
      store.flush();
    }
    String json = new String(DetailPacking.unpack(FlowCodec.encode(flow)),
        java.nio.charset.StandardCharsets.UTF_8);
    String old = json.replaceAll(",\"clientHelloRecord\":\\{[^}]*\\}", "");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE));
        PreparedStatement update = c.prepareStatement(
            "UPDATE flow_details SET detail = ? WHERE id = ?")) {
      update.setBytes(1, old.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      update.setLong(2, flow.id());
      assertEquals(1, update.executeUpdate());
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      TlsObservation back = store.find(flow.id()).orElseThrow().wire().clientSide();
      assertEquals("plainsight.test", back.sni());
      assertNull(back.clientHelloRecord());
    }
  }
}
