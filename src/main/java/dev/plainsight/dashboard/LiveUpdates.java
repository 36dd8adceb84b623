package dev.plainsight.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowFilter;
import dev.plainsight.flow.FlowListener;
import io.javalin.http.BadRequestResponse;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes each new or updated flow's summary (a WebSocket flow's {@code messageCount} grows) to
 * every connected dashboard over {@code /api/updates}, each only the flows its {@link Access} may
 * see (a participant link: their own). A dashboard may subscribe with its list's filter by
 * sending {@code {"filter": "kind=!error&background=false&…"}} (the query string of {@code
 * /api/flows}): it then gets only the flows that pass it, judged here by the same {@link
 * FlowFilter} the store applies, plus {@code {"backgroundHidden": id}} for a flow that passes
 * all but {@code background=false} (so the list can count what it hides). A malformed filter is
 * answered with {@code {"filterError": "…"}} and leaves the previous one in place. Sending is
 * asynchronous in Jetty, so the proxy thread that records the flow is not held up; a dashboard
 * whose socket fails is dropped.
 */
final class LiveUpdates implements FlowListener {
  private final ObjectMapper json;
  private final BackgroundHosts background;
  private final Map<WsContext, Subscriber> clients = new ConcurrentHashMap<>();

  /** A connected dashboard: who it is, and its filter (null: every flow it may see). */
  private record Subscriber(Access access, FlowFilter filter) {}

  LiveUpdates(ObjectMapper json, BackgroundHosts background) {
    this.json = json;
    this.background = background;
  }

  void join(WsContext client, Access access) {
    clients.put(client, new Subscriber(access, null));
  }

  void leave(WsContext client) {
    clients.remove(client);
  }

  /** A message from a dashboard: its new filter. */
  void subscribe(WsContext client, String message) {
    Subscriber subscriber = clients.get(client);
    if (subscriber == null) {
      return;
    }
    try {
      JsonNode filter = json.readTree(message).get("filter");
      if (filter == null || !filter.isTextual()) {
        throw new BadRequestResponse("expected {\"filter\": \"query string of /api/flows\"}");
      }
      FlowFilter parsed = FlowFilterParams.parse(filter.asText(), background);
      clients.put(client, new Subscriber(subscriber.access(), parsed));
    } catch (JsonProcessingException | BadRequestResponse e) {
      send(client, "{\"filterError\":" + quoted(e.getMessage()) + "}");
    }
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
      message = json.writeValueAsString(background.mark(FlowJson.summary(flow), flow));
    } catch (JsonProcessingException e) {
      return;
    }
    for (Map.Entry<WsContext, Subscriber> entry : clients.entrySet()) {
      Subscriber subscriber = entry.getValue();
      if (!subscriber.access().sees(flow)) {
        continue;
      }
      FlowFilter filter = subscriber.filter();
      if (filter != null && filter.backgroundHosts() != background.patterns()) {
        filter = filter.withBackgroundHosts(background.patterns()); // the trainer changed the list
        clients.replace(entry.getKey(), subscriber, new Subscriber(subscriber.access(), filter));
      }
      if (filter == null || filter.test(flow)) {
        send(entry.getKey(), message);
      } else if (Boolean.FALSE.equals(filter.background())
          && filter.withBackground(null).test(flow)) {
        send(entry.getKey(), "{\"backgroundHidden\":" + flow.id() + "}");
      }
    }
  }

  private void send(WsContext client, String message) {
    try {
      client.send(message);
    } catch (RuntimeException gone) {
      clients.remove(client);
    }
  }

  private String quoted(String text) {
    try {
      return json.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      return "\"bad filter\"";
    }
  }
}
