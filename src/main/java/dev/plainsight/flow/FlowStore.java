package dev.plainsight.flow;

import java.util.Optional;

/**
 * Where captured flows live. {@link #add} assigns the id, stores the flow and tells every listener;
 * it is called from the proxy's I/O threads and must not block on I/O. Implementations are
 * thread-safe.
 */
public interface FlowStore extends AutoCloseable {
  Flow add(Flow flow);

  Optional<Flow> find(long id);

  FlowPage query(FlowQuery query);

  void addListener(FlowListener listener);

  @Override
  default void close() {}
}
