package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Flows handed to the store and not yet committed: a bounded FIFO queue for the writer and a map
 * by id for readers. {@link #offer} assigns the next id and enqueues under one lock, so queue order
 * is id order and every pending id is above every committed one. Full by count means the flow
 * is refused at once and counted as dropped; full by bytes means it is kept without its body
 * bytes (counted), or dropped when even that does not fit. A flow leaves the map only in
 * {@link #committed}, after its transaction is durable.
 */
final class PendingFlows {
  private static final int OVERHEAD = 512;

  private final ArrayBlockingQueue<Flow> queue;
  private final ConcurrentSkipListMap<Long, Flow> byId = new ConcurrentSkipListMap<>();
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder bodiesShed = new LongAdder();
  private long nextId;

  PendingFlows(int capacity, long maxBytes, long firstId) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBytes = maxBytes;
    this.nextId = firstId;
  }

  /** The flow with its new id, or null when there is no room (nothing assigned, nothing kept). */
  synchronized Flow offer(Flow flow) {
    long size = sizeOf(flow);
    if (queue.remainingCapacity() == 0 || bytes.get() + size > maxBytes && !byId.isEmpty()) {
      return null;
    }
    Flow stored = flow.withId(nextId++);
    byId.put(stored.id(), stored);
    bytes.addAndGet(size);
    queue.add(stored);
    return stored;
  }

  /**
   * Like {@link #offer}, but when only the flow's body bytes do not fit under the byte bound, the
   * flow is kept without them ({@link Flow#withoutBodyBytes}) and counted. For live capture.
   */
  synchronized Flow offerSheddingBodies(Flow flow) {
    Flow stored = offer(flow);
    if (stored != null || queue.remainingCapacity() == 0) {
      return stored;
    }
    stored = offer(flow.withoutBodyBytes());
    if (stored != null) {
      bodiesShed.increment();
    }
    return stored;
  }

  void countDropped() {
    dropped.increment();
  }

  long droppedCount() {
    return dropped.sum();
  }

  long bodiesShedCount() {
    return bodiesShed.sum();
  }

  Flow poll(long timeout, TimeUnit unit) throws InterruptedException {
    return queue.poll(timeout, unit);
  }

  int drainTo(Collection<Flow> batch, int max) {
    return queue.drainTo(batch, max);
  }

  boolean queueEmpty() {
    return queue.isEmpty();
  }

  /** Called by the writer once these flows are durable (or given up on). */
  void committed(List<Flow> flows) {
    for (Flow flow : flows) {
      if (byId.remove(flow.id()) != null) {
        bytes.addAndGet(-sizeOf(flow));
      }
    }
  }

  Optional<Flow> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** A snapshot, newest first. */
  List<Flow> newestFirst() {
    return new ArrayList<>(byId.descendingMap().values());
  }

  int size() {
    return byId.size();
  }

  /** The id the next accepted flow will get. */
  synchronized long nextId() {
    return nextId;
  }

  /** Whether some flow with an id below {@code id} is still waiting. */
  boolean anyBelow(long id) {
    return !byId.isEmpty() && byId.firstKey() < id;
  }

  /** What a queued flow is counted as against the queue's byte bound. */
  static long sizeOf(Flow flow) {
    return OVERHEAD + FlowCodec.requestBytes(flow).length + FlowCodec.responseBytes(flow).length;
  }
}
