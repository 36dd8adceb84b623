package dev.plainsight.flow;

import java.util.Optional;

/**
 * Where captured flows live. {@link #add} assigns the id, stores the flow and tells every listener;
 * {@link #update} later replaces a stored flow by a newer version of it (same id: a WebSocket
 * flow's messages so far). Both are called from the proxy's I/O threads and must not block on I/O.
 * Implementations are thread-safe.
 */
public interface FlowStore extends AutoCloseable {
  Flow add(Flow flow);

  /** Replaces the flow with {@code flow.id()} (ignored for id 0, or a flow no longer stored). */
  void update(Flow flow);

  Optional<Flow> find(long id);

  /**
   * A connection id never handed out before in this store, known when the connection opens (0: the
   * store does not number connections). Never blocks.
   */
  default long newConnectionId() {
    return 0;
  }

  /** The flows that came on connection {@code id}, oldest first (empty: none known). */
  default java.util.List<Flow> connectionFlows(long id) {
    return java.util.List.of();
  }

  FlowPage query(FlowQuery query);

  /** Newest first, {@code limit} from {@code offset}; {@code total} counts every match. */
  FlowPage query(FlowFilter filter, int limit, int offset);

  void addListener(FlowListener listener);

  @Override
  default void close() {}
}
