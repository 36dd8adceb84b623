package dev.plainsight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Connection;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.store.SqliteFlowStore;
import dev.plainsight.store.StoreOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection whose flow the store dropped says so in its record ({@code flowsNotStored}): its
 * bytes then carry an exchange no flow names, so its packet capture is not a participant's to
 * take. A real store whose queue holds one flow's worth of bytes drops the second of two flows
 * added back to back.
 */
class FlowsNotStoredTest {
  @TempDir Path dir;

  @Test
  void aDroppedFlowIsCountedOnItsConnection() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir,
        StoreOptions.defaults().withQueue(10_000, 1))) {
      String session = store.sessions().currentId();
      FlowRecorder recorder = new FlowRecorder(store, () -> session, 1024);
      ClientConnection connection =
          recorder.open(new InetSocketAddress("127.0.0.1", 40000));
      long kept = recorder.record(connection.stamp(flow("/first"))).id();
      long dropped = recorder.record(connection.stamp(flow("/second"))).id();
      recorder.closed(connection, "the client closed it");
      store.flush();

      assertTrue(kept > 0, "the first flow is stored");
      assertEquals(0, dropped, "the queue's byte bound drops the second");
      Connection record = store.findConnection(connection.id()).orElseThrow();
      assertEquals(1, record.flowsNotStored(), record.toString());
    }
  }

  private static FlowBuilder flow(String path) {
    return new FlowBuilder().kind(FlowKind.HTTP).startedAt(Instant.now())
        .client("127.0.0.1:40000").method("GET").url("http://shop.example" + path)
        .host("shop.example").port(80).status(200);
  }
}
