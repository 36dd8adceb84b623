package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import dev.plainsight.net.Authority;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Fair shedding: once the queue is above its high-water mark (by count or by bytes), a flow
 * from a client (keyed by its address, without the port) that already holds at least its fair
 * share of the queue (the high-water mark divided by the clients with queued flows) is refused, so
 * one flooding client fills at most the high-water mark and the room's other clients keep the rest
 * of the queue. Per-client bookkeeping is one map entry per client with queued flows: O(1) per
 * offer and per removal, under the same lock as the id.
 */
final class PendingFlows {
  private static final int OVERHEAD = 512;
  /** The share of the queue (count and bytes) any client may fill; the rest is kept fair. */
  private static final double HIGH_WATER = 0.75;
  private static final int MAX_CLIENTS_COUNTED = 4096;

  /** What one client holds in the queue; guarded by the PendingFlows monitor. */
  private static final class Share {
    int count;
    long bytes;
  }

  private final ArrayBlockingQueue<Flow> queue;
  private final ConcurrentSkipListMap<Long, Flow> byId = new ConcurrentSkipListMap<>();
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder bodiesShed = new LongAdder();
  private final int capacity;
  private final int highCount;
  private final long highBytes;
  private final Map<String, Share> shares = new HashMap<>();
  private final Map<String, LongAdder> droppedByClient = new ConcurrentHashMap<>();
  private long nextId;
  /** Flows offered and not yet taken by the writer (the preparer's are still counted here). */
  private int waiting;

  PendingFlows(int capacity, long maxBytes, long firstId) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.highCount = Math.max(1, (int) (capacity * HIGH_WATER));
    this.highBytes = Math.max(1, (long) (maxBytes * HIGH_WATER));
    this.nextId = firstId;
  }

  /** The flow with its new id, or null when there is no room (nothing assigned, nothing kept). */
  synchronized Flow offer(Flow flow) {
    long size = sizeOf(flow);
    if (waiting >= capacity || bytes.get() + size > maxBytes && !byId.isEmpty()) {
      return null;
    }
    String client = clientOf(flow);
    Share share = shares.get(client);
    if (share != null && overFairShare(share, size)) {
      return null;
    }
    Flow stored = flow.withId(nextId++);
    byId.put(stored.id(), stored);
    bytes.addAndGet(size);
    queue.add(stored);
    waiting++;
    if (share == null) {
      share = new Share();
      shares.put(client, share);
    }
    share.count++;
    share.bytes += size;
    return stored;
  }

  /** Above the high-water mark, whether this client already holds its fair share of the queue. */
  private boolean overFairShare(Share share, long size) {
    int queued = waiting;
    long held = bytes.get();
    int clients = shares.size();
    return queued >= highCount && share.count >= Math.max(1, highCount / clients)
        || held + size > highBytes && share.bytes + size > highBytes / clients;
  }

  /**
   * Called with each flow the writer takes (from the {@link FlowPreparer}): it no longer counts
   * against the queue's bound nor against its client's share.
   */
  synchronized void taken(Flow flow) {
    waiting--;
    String client = clientOf(flow);
    Share share = shares.get(client);
    if (share == null) {
      return;
    }
    share.count--;
    share.bytes -= sizeOf(flow);
    if (share.count <= 0) {
      shares.remove(client);
    }
  }

  /**
   * The client a flow is charged to: its address, without a port if one is given ("1.2.3.4:5",
   * "[::1]:5"; a bare IPv6 address is kept whole), "" when unknown.
   */
  static String clientOf(Flow flow) {
    String client = flow.client();
    if (client == null) {
      return "";
    }
    return Authority.split(client).host();
  }

  /**
   * Like {@link #offer}, but when only the flow's body bytes do not fit under the byte bound, the
   * flow is kept without them ({@link Flow#withoutBodyBytes}) and counted. For live capture.
   */
  synchronized Flow offerSheddingBodies(Flow flow) {
    Flow stored = offer(flow);
    if (stored != null || isFull()) {
      return stored;
    }
    stored = offer(flow.withoutBodyBytes());
    if (stored != null) {
      bodiesShed.increment();
    }
    return stored;
  }

  void countDropped(Flow flow) {
    dropped.increment();
    if (droppedByClient.size() < MAX_CLIENTS_COUNTED) {
      droppedByClient.computeIfAbsent(clientOf(flow), k -> new LongAdder()).increment();
    } else {
      LongAdder known = droppedByClient.get(clientOf(flow));
      (known != null ? known : droppedByClient.computeIfAbsent("other", k -> new LongAdder()))
          .increment();
    }
  }

  /** Dropped flows by client address, most first; at most {@code limit} entries. */
  Map<String, Long> droppedByClient(int limit) {
    Map<String, Long> out = new LinkedHashMap<>();
    droppedByClient.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  long droppedCount() {
    return dropped.sum();
  }

  long bodiesShedCount() {
    return bodiesShed.sum();
  }

  private synchronized boolean isFull() {
    return waiting >= capacity;
  }

  /** For the preparer: the next queued flow, in id order; it stays counted until {@link #taken}. */
  Flow poll(long timeout, TimeUnit unit) throws InterruptedException {
    return queue.poll(timeout, unit);
  }

  int drainTo(List<Flow> batch, int max) {
    return queue.drainTo(batch, max);
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
