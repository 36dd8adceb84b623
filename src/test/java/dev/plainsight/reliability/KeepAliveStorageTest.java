package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.store.SqliteFlowStore;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an intercepted exchange costs the store: 2,000 GETs with tiny bodies on one kept-alive
 * HTTPS connection through a real Plainsight, the database's live bytes before and after divided
 * by the flows (the connection's facts, its ClientHello, certificates and ladders, are stored once,
 * not per exchange), then the writer's sustained rate for such flows written straight to the
 * store. Prints both figures.
 */
class KeepAliveStorageTest {
  static final int EXCHANGES = Integer.getInteger("exchanges", 2000);
  static final int REWRITTEN = 20_000;

  @TempDir Path dir;

  @Test
  void anInterceptedExchangeWithoutBodiesCostsWellUnderAKilobyte() throws Exception {
    TestPki pki = TestPki.create("Size CA");
    try (OriginServer https = OriginServer.https(pki.issue("127.0.0.1").serverContext());
        RunningPlainsight plainsight = RunningPlainsight.start(dir, pki, List.of())) {
      SqliteFlowStore store = plainsight.app().store();
      HttpClient client = plainsight.clientTrustingPlainsight();
      String warm = https.url("/hello?warm");
      send(client, warm);
      plainsight.awaitFlow(f -> warm.equals(f.url()));
      store.flush();
      long before = store.dataBytes();
      for (int i = 0; i < EXCHANGES; i++) {
        send(client, https.url("/hello?n=" + i));
      }
      String last = https.url("/hello?n=" + (EXCHANGES - 1));
      Flow lastFlow = plainsight.awaitFlow(f -> last.equals(f.url()));
      assertEquals(FlowKind.HTTPS_DECRYPTED, lastFlow.kind());
      store.flush();
      long after = store.dataBytes();
      double perExchange = (after - before) / (double) EXCHANGES;
      System.out.printf("bytes per intercepted keep-alive exchange: %.0f%n", perExchange);
      try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
          + dir.resolve("data").resolve("plainsight.db"));
          java.sql.ResultSet rs = c.createStatement().executeQuery(
              "SELECT avg(length(detail)) FROM flow_details")) {
        rs.next();
        System.out.println("detail column, bytes on average: " + rs.getDouble(1));
      }

      List<Flow> captured = new ArrayList<>();
      for (Flow summary : store.query(new dev.plainsight.flow.FlowQuery(null, null, null, null,
          500, 0)).flows()) {
        captured.add(store.find(summary.id()).orElseThrow());
      }
      long start = System.nanoTime();
      for (int i = 0; i < REWRITTEN; i++) {
        store.addWaiting(captured.get(i % captured.size()));
      }
      store.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("writer: %d intercepted flows in %.2f s: %.0f flows/s%n", REWRITTEN,
          seconds, REWRITTEN / seconds);
      assertTrue(perExchange < 1000, "bytes per exchange: " + perExchange);
    }
  }

  private static void send(HttpClient client, String url) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
  }
}
