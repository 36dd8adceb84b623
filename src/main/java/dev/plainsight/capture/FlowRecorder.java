package dev.plainsight.capture;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowStore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place captured flows leave the capture layer: stamps the current session, stores the
 * flow (and, with {@link #update}, its later versions: a WebSocket flow's messages) and writes
 * one log line for each error or refusal (never headers or bodies, which may hold secrets). It
 * also opens and closes {@link ClientConnection}s: a connection's record is stored just before
 * its first flow (so the flow can refer to it) and again, final, when it closes.
 */
public final class FlowRecorder {
  private static final Logger LOG = LoggerFactory.getLogger("dev.plainsight.flows");

  private final FlowStore store;
  private final Supplier<String> currentSession;
  private final int bodyCaptureLimit;
  private final java.util.Map<Long, ClientConnection> open =
      new java.util.concurrent.ConcurrentHashMap<>();

  public FlowRecorder(FlowStore store, Supplier<String> currentSession, int bodyCaptureLimit) {
    this.store = store;
    this.currentSession = currentSession;
    this.bodyCaptureLimit = bodyCaptureLimit;
  }

  public int bodyCaptureLimit() {
    return bodyCaptureLimit;
  }

  /**
   * A client connection opening now, with a connection id from the store; {@link #closed} must
   * follow when it closes.
   */
  public ClientConnection open(java.net.SocketAddress remote) {
    String client = String.valueOf(remote);
    int port = 0;
    if (remote instanceof java.net.InetSocketAddress inet) {
      client = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
      port = inet.getPort();
    }
    ClientConnection connection = new ClientConnection(store.openConnection(), client, port);
    if (connection.id() != null) {
      open.put(connection.id(), connection);
    }
    return connection;
  }

  /**
   * The client connection closed: its record is stored (when one of its flows was, or it leaves
   * one behind) and the flow it leaves behind, if any, recorded.
   */
  public void closed(ClientConnection connection, String reason) {
    FlowBuilder leftBehind = connection.closed();
    connection.closing(reason);
    if (connection.id() != null) {
      open.remove(connection.id());
      if (connection.announced() || leftBehind != null) {
        connection.announce();
        store.putConnection(connection.snapshot().withSession(currentSession.get()));
      }
    }
    if (leftBehind != null && record(leftBehind).id() == 0 && connection.id() != null) {
      connection.flowNotStored();
      store.putConnection(connection.snapshot().withSession(currentSession.get()));
    }
  }

  /**
   * A server connection opened for {@code connection} closed ({@code localPort}: Plainsight's
   * end of it); a client connection already closed and stored is stored again with it.
   */
  public void upstreamClosed(ClientConnection connection, int localPort, String reason) {
    if (connection.upstreamClosed(localPort, reason) && connection.id() != null
        && connection.announced()) {
      store.putConnection(connection.snapshot().withSession(currentSession.get()));
    }
  }

  public Flow record(FlowBuilder builder) {
    String session = currentSession.get();
    ClientConnection on = builder.connection() == null ? null : open.get(builder.connection());
    if (on != null && on.announce()) {
      store.putConnection(on.snapshot().withSession(session));
    }
    Flow flow = store.add(builder.session(session).build());
    if (flow.id() == 0 && on != null) {
      on.flowNotStored(); // its record, stored at the close, says so
    }
    if (flow.kind() == FlowKind.ERROR) {
      LOG.info("flow {} error: {} {}: {}", flow.id(), flow.method(), target(flow), flow.error());
    } else if (flow.kind() == FlowKind.HTTPS_REJECTED) {
      LOG.info("flow {} client refused the certificate for {}: {}", flow.id(), target(flow),
          flow.tls() == null ? "?" : flow.tls().alert());
    }
    return flow;
  }

  /** Stores a newer version of a recorded flow (same id and session); never blocks. */
  public void update(Flow flow) {
    store.update(flow);
  }

  private static String target(Flow flow) {
    return flow.url() != null ? flow.url() : flow.host() + ":" + flow.port();
  }
}
