package dev.plainsight.flow;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where captured flows live. {@link #add} assigns the id, stores the flow and tells every listener;
 * {@link #update} later replaces a stored flow by a newer version of it (same id: a WebSocket
 * flow's messages so far). Both are called from the proxy's I/O threads and must not block on I/O.
 * Implementations are thread-safe. Besides capture, a store keeps {@link #sessions}, answers
 * {@link #stats} and bulk work (HAR import with {@link #addWaiting}, export with {@link
 * #forEachFlow}).
 */
public interface FlowStore extends AutoCloseable {
  Flow add(Flow flow);

  /**
   * Like {@link #add} but waits for room instead of dropping, and tells only no listener: for
   * bulk loads such as a HAR import, never for capture.
   */
  Flow addWaiting(Flow flow);

  /** The capture sessions. */
  Sessions sessions();

  /** The participants of the stored flows, by name. */
  List<ParticipantCount> participants();

  /** Every stored flow of a session, whole, oldest first; {@link #flush} first for the queued. */
  void forEachFlow(String session, Consumer<Flow> action);

  /** Waits until every flow added before this call is stored. */
  void flush();

  StoreStats stats();

  /**
   * Told of each flow once it is committed (and of each update once that is), on the store's
   * own thread: the listener must hand its work off and return at once.
   */
  void addCommittedListener(FlowListener listener);

  /** Replaces the flow with {@code flow.id()} (ignored for id 0, or a flow no longer stored). */
  void update(Flow flow);

  Optional<Flow> find(long id);

  FlowPage query(FlowQuery query);

  /** Newest first, {@code limit} from {@code offset}; {@code total} counts every match. */
  FlowPage query(FlowFilter filter, int limit, int offset);

  void addListener(FlowListener listener);

  /** A connection id unique in this store, for a connection opening now (0: none); never blocks. */
  default long openConnection() {
    return 0;
  }

  /** Keeps a connection's record, replacing an earlier one of the same id; never blocks. */
  default void putConnection(Connection connection) {}

  /** A stored connection. */
  default Optional<Connection> findConnection(long id) {
    return Optional.empty();
  }

  /** The ids of the flows on a connection, oldest first. */
  default java.util.List<Long> flowIdsOf(long connectionId) {
    return java.util.List.of();
  }

  /**
   * Keeps an ended client connection's raw legs ({@code size} bytes, about) for its packet
   * capture; never blocks: {@code legs} is called later, on the store's writer.
   */
  default void keepRawLegs(long connectionId, long size,
      java.util.function.Supplier<RawLegs> legs) {}

  /** A connection's kept raw legs, or empty. */
  default Optional<RawLegs> rawLegs(long connectionId) {
    return Optional.empty();
  }

  /** Connections whose raw legs could not be kept (the writer's queue was full). */
  default long rawLegsNotStored() {
    return 0;
  }

  @Override
  default void close() {}
}
