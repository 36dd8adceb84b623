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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * Pushes each new or updated flow's summary (a WebSocket flow's {@code messageCount} grows) to
 * every connected dashboard over {@code /api/updates}, each only the flows its {@link Access} may
 * see (a participant link: their own). A dashboard may subscribe with its list's filter by
 * sending {@code {"filter": "kind=!error&background=false&…"}} (the query string of {@code
 * /api/flows}): it then gets only the flows that pass it, judged here by the same {@link
 * FlowFilter} the store applies, plus {@code {"backgroundHidden": id}} for a flow that passes
 * all but {@code background=false} (so the list can count what it hides). A malformed filter is
 * answered with {@code {"filterError": "…"}} and leaves the previous one in place.
 *
 * <p>Threads: the store tells this listener after each commit ({@link
 * dev.plainsight.flow.FlowStore#addCommittedListener}), on its writer thread; that only queues
 * the flow (without body bytes) for the live executor, one thread named {@link #THREAD}, which
 * encodes the JSON and hands it to each dashboard's {@link LiveOutbox}. Nothing here runs on a
 * proxy loop or waits on a socket. When the live queue ({@link #QUEUE} flows) is full, the flow
 * is not sent and every dashboard gets a resync instead; a slow dashboard is bounded by its
 * outbox (dropped flows, then a resync); a stalled or failed one is disconnected.
 */
final class LiveUpdates implements FlowListener, AutoCloseable {
  static final String THREAD = "plainsight-live";
  static final int QUEUE = 4096;

  private final ObjectMapper json;
  private final BackgroundHosts background;
  private final Function<Flow, String> encode;
  private final Map<Object, Subscriber> clients = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(QUEUE), task -> {
        Thread thread = new Thread(task, THREAD);
        thread.setDaemon(true);
        return thread;
      });

  /** A connected dashboard: who it is, its filter (null: every flow it may see), its outbox. */
  private record Subscriber(Access access, FlowFilter filter, LiveOutbox outbox) {}

  LiveUpdates(ObjectMapper json, BackgroundHosts background) {
    this(json, background, null);
  }

  /** With {@code encode} in place of the summary's JSON (a test's seam; null: the summary). */
  LiveUpdates(ObjectMapper json, BackgroundHosts background, Function<Flow, String> encode) {
    this.json = json;
    this.background = background;
    this.encode = encode != null ? encode : this::summary;
  }

  void join(WsContext client, Access access) {
    join(client, access, jetty(client));
  }

  /** A dashboard known by {@code key}, reached through {@code socket}. */
  void join(Object key, Access access, LiveOutbox.Socket socket) {
    clients.put(key, new Subscriber(access, null, new LiveOutbox(socket)));
  }

  void leave(Object client) {
    clients.remove(client);
  }

  /** A message from a dashboard: its new filter. */
  void subscribe(Object client, String message) {
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
      clients.put(client, new Subscriber(subscriber.access(), parsed, subscriber.outbox()));
    } catch (JsonProcessingException | BadRequestResponse e) {
      send(client, subscriber.outbox(), "{\"filterError\":" + quoted(e.getMessage()) + "}");
    }
  }

  @Override
  public void flowUpdated(Flow flow) {
    flowAdded(flow);
  }

  /** On the store's thread: queue the flow for the live executor, never wait. */
  @Override
  public void flowAdded(Flow flow) {
    if (clients.isEmpty()) {
      return;
    }
    Flow light = flow.withoutBodyBytes();
    try {
      executor.execute(() -> deliver(light));
    } catch (RejectedExecutionException full) {
      for (Subscriber subscriber : clients.values()) {
        subscriber.outbox().fallBehind();
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private void deliver(Flow flow) {
    if (clients.isEmpty()) {
      return;
    }
    String message = encode.apply(flow);
    if (message == null) {
      return;
    }
    for (Map.Entry<Object, Subscriber> entry : clients.entrySet()) {
      Subscriber subscriber = entry.getValue();
      if (!subscriber.access().sees(flow)) {
        continue;
      }
      FlowFilter filter = subscriber.filter();
      if (filter != null && filter.backgroundHosts() != background.patterns()) {
        filter = filter.withBackgroundHosts(background.patterns()); // the trainer changed the list
        Subscriber refreshed = new Subscriber(subscriber.access(), filter, subscriber.outbox());
        clients.replace(entry.getKey(), subscriber, refreshed);
      }
      if (filter == null || filter.test(flow)) {
        send(entry.getKey(), subscriber.outbox(), message);
      } else if (Boolean.FALSE.equals(filter.background())
          && filter.withBackground(null).test(flow)) {
        send(entry.getKey(), subscriber.outbox(), "{\"backgroundHidden\":" + flow.id() + "}");
      }
    }
  }

  private String summary(Flow flow) {
    try {
      return json.writeValueAsString(background.mark(FlowJson.summary(flow), flow));
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private void send(Object client, LiveOutbox outbox, String message) {
    boolean open;
    try {
      open = outbox.offer(message);
    } catch (RuntimeException gone) {
      open = false;
    }
    if (!open) {
      clients.remove(client);
      outbox.disconnect();
    }
  }

  private static LiveOutbox.Socket jetty(WsContext client) {
    return new LiveOutbox.Socket() {
      @Override
      public void send(String text, Consumer<Throwable> done) {
        client.session.sendText(text, Callback.from(() -> done.accept(null), done));
      }

      @Override
      public void disconnect() {
        client.session.disconnect();
      }
    };
  }

  private String quoted(String text) {
    try {
      return json.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      return "\"bad filter\"";
    }
  }
}
