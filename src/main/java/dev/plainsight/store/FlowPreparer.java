package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The stage between {@link PendingFlows} and the writer, on a thread of its own: takes queued
 * flows in order and turns each into a {@link PreparedFlow} (serialising and packing its record,
 * its searchable text, its body digests), so the writer's thread spends its time in SQLite only.
 * On a busy machine each thread gets its share of the cores, so two stages keep up with more
 * flows than one. At most {@link #CAPACITY} prepared flows wait for the writer; past that the
 * preparer waits. A flow counts against the pending queue's bound until the writer takes it
 * ({@link PendingFlows#taken}), so the bound is the same with or without this stage, and it stays
 * readable in {@link PendingFlows} until the writer commits it.
 */
final class FlowPreparer implements Runnable {
  static final int CAPACITY = 1024;
  private static final int CHUNK = 64;
  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final PendingFlows pending;
  private final boolean fullText;
  private final BlockingQueue<PreparedFlow> ready = new ArrayBlockingQueue<>(CAPACITY);
  private final MessageDigest sha256;
  private final Thread thread;
  private volatile boolean stopped;

  FlowPreparer(PendingFlows pending, boolean fullText) {
    this.pending = pending;
    this.fullText = fullText;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    this.thread = new Thread(this, "plainsight-store-preparer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** After the writer has stopped. */
  void stop() {
    stopped = true;
    thread.interrupt();
  }

  /** The next prepared flow, waiting at most {@code timeout}; null if none came. */
  PreparedFlow poll(long timeout, TimeUnit unit) throws InterruptedException {
    return taken(ready.poll(timeout, unit));
  }

  /** Moves up to {@code max} prepared flows into {@code into}; returns how many. */
  int drainTo(List<PreparedFlow> into, int max) {
    int from = into.size();
    int n = ready.drainTo(into, max);
    for (int i = from; i < from + n; i++) {
      taken(into.get(i));
    }
    return n;
  }

  private PreparedFlow taken(PreparedFlow prepared) {
    if (prepared != null) {
      pending.taken(prepared.flow());
    }
    return prepared;
  }

  /**
   * Waits until a prepared flow comes (then moves up to {@code max} into the empty {@code chunk}),
   * {@code untilNanos} (a {@link System#nanoTime} value) passes or {@code keepWaiting} turns false,
   * which is asked every {@link #WAIT_SLICE_NANOS}.
   */
  void awaitMore(List<PreparedFlow> chunk, int max, long untilNanos, BooleanSupplier keepWaiting) {
    try {
      while (chunk.isEmpty() && keepWaiting.getAsBoolean()) {
        long left = untilNanos - System.nanoTime();
        if (left <= 0) {
          return;
        }
        PreparedFlow next = poll(Math.min(left, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
        if (next != null) {
          chunk.add(next);
          drainTo(chunk, max - 1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    List<Flow> chunk = new ArrayList<>(CHUNK);
    try {
      while (!stopped) {
        Flow first = pending.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        chunk.add(first);
        pending.drainTo(chunk, CHUNK - 1);
        for (Flow flow : chunk) {
          ready.put(PreparedFlow.of(flow, fullText, sha256));
        }
        chunk.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
