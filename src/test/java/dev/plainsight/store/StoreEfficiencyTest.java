package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an intercepted exchange costs the store (issue 16.7): 500 (or
 * {@code -Dplainsight.efficiency.exchanges}) kept-alive GETs with tiny
 * bodies through a real Plainsight, the database file's growth divided by the flows; and how many
 * such flows a second the writer stores when they are handed to it straight (the figures are
 * printed; the bound on bytes is generous, the rate is not asserted: the machine is shared).
 */
@org.junit.jupiter.api.Disabled("issue 16.7 not done yet: an intercepted exchange still costs ~13 KB;"
    + " run by hand (-Dtest=StoreEfficiencyTest after removing this) to measure")
class StoreEfficiencyTest {
  private static final int EXCHANGES = Integer.getInteger("plainsight.efficiency.exchanges", 500);
  private static final int WRITTEN = 30_000;

  @TempDir Path dir;

  @Test
  void anInterceptedExchangeWithoutBodiesCostsWellUnderOneAndAHalfKilobytes() throws Exception {
    TestPki pki = TestPki.create("Efficiency CA");
    try (OriginServer origin = OriginServer.https(pki.issue("127.0.0.1").serverContext());
        RunningPlainsight plainsight = RunningPlainsight.start(dir, pki, List.of())) {
      HttpClient client = plainsight.clientTrustingPlainsight();
      String warm = origin.url("/hello?warm");
      client.send(HttpRequest.newBuilder(URI.create(warm)).build(),
          HttpResponse.BodyHandlers.discarding());
      plainsight.awaitFlow(f -> warm.equals(f.url()));
      plainsight.app().store().flush();
      Path db = dir.resolve("data").resolve(Database.FILE);
      long before = checkpointedSize(db);
      for (int i = 0; i < EXCHANGES; i++) {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
            URI.create(origin.url("/hello?n=" + i))).build(),
            HttpResponse.BodyHandlers.discarding());
        assertEquals(200, response.statusCode());
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (plainsight.app().store().query(FlowQuery.all()).total() < EXCHANGES + 1
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(EXCHANGES + 1, plainsight.app().store().query(FlowQuery.all()).total());
      plainsight.app().store().flush();
      long perExchange = (checkpointedSize(db) - before) / EXCHANGES;
      System.out.println("store efficiency: " + perExchange + " database bytes per exchange");
      Flow newest = plainsight.app().store().query(FlowQuery.all()).flows().get(0);
      writerRate(plainsight.app().store().find(newest.id()).orElseThrow());
      assertTrue(perExchange < 1_500, perExchange + " B per exchange");
    }
  }

  /** Hands the writer {@link #WRITTEN} copies of a real intercepted flow, 100 per connection. */
  private void writerRate(Flow sample) {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir.resolve("rate"),
        StoreOptions.defaults())) {
      long start = System.nanoTime();
      for (int i = 0; i < WRITTEN; i++) {
        store.addWaiting(ConnectionCopies.of(sample, i / 100));
      }
      store.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("store efficiency: the writer stored %d flows in %.2f s: %.0f flows/s%n",
          WRITTEN, seconds, WRITTEN / seconds);
    }
  }

  private static long checkpointedSize(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    return Files.size(db);
  }
}
