package dev.plainsight.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowListener;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes each new or updated flow's summary (a WebSocket flow's {@code messageCount} grows) to
 * every connected dashboard over {@code /api/updates}, each only the flows its {@link Access} may
 * see (a participant link: their own). Sending is asynchronous in Jetty, so the proxy thread that
 * records the flow is not held up; a dashboard whose socket fails is dropped.
 */
final class LiveUpdates implements FlowListener {
  private final ObjectMapper json;
  private final Map<WsContext, Access> clients = new ConcurrentHashMap<>();

  LiveUpdates(ObjectMapper json) {
    this.json = json;
  }

  void join(WsContext client, Access access) {
    clients.put(client, access);
  }

  void leave(WsContext client) {
    clients.remove(client);
  }

  @Override
  public void flowUpdated(Flow flow) {
    flowAdded(flow);
  }

  @Override
  public void flowAdded(Flow flow) {
    if (clients.isEmpty()) {
      return;
    }
    String message;
    try {
      message = json.writeValueAsString(FlowJson.summary(flow));
    } catch (JsonProcessingException e) {
      return;
    }
    for (Map.Entry<WsContext, Access> entry : clients.entrySet()) {
      if (!entry.getValue().sees(flow)) {
        continue;
      }
      WsContext client = entry.getKey();
      try {
        client.send(message);
      } catch (RuntimeException gone) {
        clients.remove(client);
      }
    }
  }
}
