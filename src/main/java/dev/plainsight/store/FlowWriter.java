package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the database. Each turn it runs queued tasks (session changes), then
 * takes the flows the {@link FlowPreparer} has made ready and inserts them in one transaction,
 * which stays open for the flows that follow (until none has come for a moment) and is committed
 * after at most the commit interval (so a crash loses at most that much), then rewrites the flows
 * with newer versions waiting in {@link PendingUpdates} (those already committed), then
 * deletes a chunk of a session being deleted, checks retention (and, when it has nothing to
 * delete, whether capture must pause: {@link CapturePause}), and answers flush waiters. A
 * commit and the removal of its flows from {@link PendingFlows} (or of its updates from
 * {@link PendingUpdates}) happen under the write side of {@code commitLock}, which readers take
 * to see both consistently.
 */
final class FlowWriter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(FlowWriter.class);
  private static final int MAX_BATCH = 5000;
  private static final int DRAIN = 64;
  /**
   * How long an open batch waits for the next flow before it is committed anyway: longer than the
   * gaps of a steady stream of flows, short enough that the live feed still feels immediate.
   */
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /**
   * A batch is committed once it holds this many bytes of bodies, even before the commit interval:
   * large bodies then leave the heap while still young instead of filling the old generation.
   */
  private static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

  /** Work for the writer connection, inside a transaction the writer commits. */
  @FunctionalInterface
  interface Task<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  private interface Step {
    void run(Connection c) throws SQLException;
  }

  private record Queued<T>(Task<T> task, CompletableFuture<T> result) {}

  private record FlushWaiter(long belowId, CompletableFuture<Void> done) {}

  private final Connection c;
  private final PendingFlows pending;
  private final FlowPreparer preparer;
  private final SessionCatalog catalog;
  private final FlowInserter inserter;
  private final ConnectionTable connections;
  private final PendingUpdates updates;
  private final FlowUpdater updater;
  private final SessionDeleter deleter;
  private final Retention retention;
  private final CapturePause pause;
  private final ReadWriteLock commitLock;
  private final long commitNanos;
  private final long retentionNanos;
  private final ConcurrentLinkedQueue<Queued<?>> tasks = new ConcurrentLinkedQueue<>();
  private final List<FlushWaiter> waiters = new CopyOnWriteArrayList<>();
  private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
  private final CommittedFeed committed = new CommittedFeed();
  private final LongAdder failed = new LongAdder();
  private final Thread thread;
  private volatile boolean stopping;
  private long nextRetention;

  FlowWriter(Connection c, PendingFlows pending, FlowPreparer preparer, SessionCatalog catalog,
      FlowInserter inserter,
      ConnectionTable connections, PendingUpdates updates, FlowUpdater updater, SessionDeleter deleter, Retention retention,
      CapturePause pause, ReadWriteLock commitLock, StoreOptions options) {
    this.c = c;
    this.pending = pending;
    this.preparer = preparer;
    this.catalog = catalog;
    this.inserter = inserter;
    this.connections = connections;
    this.updates = updates;
    this.updater = updater;
    this.deleter = deleter;
    this.retention = retention;
    this.pause = pause;
    this.commitLock = commitLock;
    this.commitNanos = options.commitInterval().toNanos();
    this.retentionNanos = options.retentionInterval().toNanos();
    this.thread = new Thread(this, "plainsight-store-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void addCommitListener(CommitListener listener) {
    commitListeners.add(listener);
  }

  CommittedFeed committed() {
    return committed;
  }

  long failedCount() {
    return failed.sum();
  }

  /** Runs the task on the writer thread and waits for its commit (inline if already there). */
  <T> T call(Task<T> task) {
    if (Thread.currentThread() == thread) {
      try {
        return task.run(c);
      } catch (SQLException e) {
        throw new StoreException("database error: " + e.getMessage(), e);
      }
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    tasks.add(new Queued<>(task, result));
    return await(result);
  }

  /** Waits until every flow with an id below {@code belowId} and every deletion is done. */
  void flush(long belowId) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    waiters.add(new FlushWaiter(belowId, done));
    await(done);
  }

  /** From a task on the writer thread: queues a session marked deleting for deletion. */
  void scheduleDeletion(long sessionId) {
    deleter.schedule(sessionId);
  }

  /** Writes everything still queued, then stops the thread. */
  void stop() {
    stopping = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    nextRetention = System.nanoTime();
    try {
      while (true) {
        runTasks();
        PreparedFlow first = preparer.poll(5, TimeUnit.MILLISECONDS);
        if (first != null) {
          writeBatch(first);
        } else if (stopping && tasks.isEmpty() && pending.size() == 0 && updates.isEmpty()
            && !connections.hasWaiting()) {
          break;
        }
        if (!updates.isEmpty()) {
          writeUpdates();
        }
        if (connections.hasWaiting()) {
          inTransaction("writing connections", connections::writeOnly);
          connections.durable();
        }
        if (deleter.busy()) {
          inTransaction("deleting a session", deleter::step);
        }
        if (System.nanoTime() - nextRetention >= 0) {
          nextRetention = System.nanoTime() + retentionNanos;
          inTransaction("checking retention", c -> retention.apply(c, catalog, deleter, pause));
        }
        answerWaiters();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("the store's writer stopped: {}", e.toString(), e);
    } finally {
      StoreException stopped = new StoreException("the store is closed");
      for (Queued<?> queued : tasks) {
        queued.result().completeExceptionally(stopped);
      }
      for (FlushWaiter waiter : waiters) {
        waiter.done().completeExceptionally(stopped);
      }
    }
  }

  private void writeBatch(PreparedFlow first) {
    List<PreparedFlow> batch = new ArrayList<>();
    List<PreparedFlow> chunk = new ArrayList<>(DRAIN);
    chunk.add(first);
    long deadline = System.nanoTime() + commitNanos;
    try {
      long[] stored = new long[MAX_BATCH + DRAIN];
      int count = 0;
      long bytes = 0;
      while (!chunk.isEmpty()) {
        for (PreparedFlow prepared : chunk) {
          if (inserter.insert(c, prepared)) {
            stored[count++] = prepared.flow().id();
          }
          bytes += PendingFlows.sizeOf(prepared.flow());
        }
        batch.addAll(chunk);
        chunk.clear();
        if (batch.size() >= MAX_BATCH || bytes >= MAX_BATCH_BYTES
            || System.nanoTime() - deadline >= 0) {
          break;
        }
        if (preparer.drainTo(chunk, DRAIN) == 0) {
          awaitMore(chunk, deadline);
        }
      }
      inserter.finish();
      commit(PreparedFlow.flows(batch), Arrays.copyOf(stored, count));
    } catch (SQLException | RuntimeException e) {
      rollback();
      batch.addAll(chunk);
      LOG.warn("writing {} flows failed ({}); trying them one at a time", batch.size(),
          e.getMessage());
      for (PreparedFlow prepared : batch) {
        writeAlone(prepared);
      }
    }
  }

  /**
   * The queue is empty but the batch's commit interval is not over: waits for the next flow, at
   * most until {@code deadline} and at most {@link #IDLE_WAIT_NANOS}, so that a steady stream of
   * flows is committed in few transactions (each commit writes its pages and a full-text segment,
   * whatever the batch's size) instead of one per burst: at 7,000 flows/s this halves the
   * writer's time per flow. A flush waiter, a queued task or stopping ends the wait at once: they
   * are not kept waiting for flows that may not come.
   */
  private void awaitMore(List<PreparedFlow> chunk, long deadline) {
    long idleEnd = System.nanoTime() + IDLE_WAIT_NANOS;
    preparer.awaitMore(chunk, DRAIN, idleEnd - deadline < 0 ? idleEnd : deadline,
        () -> waiters.isEmpty() && tasks.isEmpty() && !stopping);
  }

  private void writeAlone(PreparedFlow prepared) {
    Flow flow = prepared.flow();
    try {
      boolean stored = inserter.insert(c, prepared);
      inserter.finish();
      commit(List.of(flow), stored ? new long[] {flow.id()} : new long[0]);
    } catch (SQLException | RuntimeException e) {
      rollback();
      pending.committed(List.of(flow));
      failed.increment();
      long lost = failed.sum();
      if (Long.bitCount(lost) == 1) {
        LOG.warn("flow {} could not be stored and is lost ({} lost so far): {}", flow.id(), lost,
            e.getMessage());
      }
    }
  }

  private void writeUpdates() {
    List<Flow> ready = new ArrayList<>();
    for (Flow flow : updates.snapshot()) {
      if (pending.get(flow.id()).isEmpty()) {
        ready.add(flow);
      }
    }
    if (ready.isEmpty()) {
      return;
    }
    try {
      for (Flow flow : ready) {
        updater.update(flow);
      }
      commitLock.writeLock().lock();
      try {
        c.commit();
        updates.written(ready);
      } finally {
        commitLock.writeLock().unlock();
      }
      committed.updated(ready);
    } catch (SQLException | RuntimeException e) {
      rollback();
      updates.written(ready);
      LOG.warn("updating {} flows failed ({}); their next update will try again", ready.size(),
          e.getMessage());
    }
  }

  private void commit(List<Flow> flows, long[] storedIds) throws SQLException {
    commitLock.writeLock().lock();
    try {
      c.commit();
      pending.committed(flows);
      connections.durable();
    } finally {
      commitLock.writeLock().unlock();
    }
    committed.added(flows, storedIds);
    if (storedIds.length > 0) {
      for (CommitListener listener : commitListeners) {
        try {
          listener.committed(storedIds);
        } catch (RuntimeException e) {
          LOG.warn("a commit listener failed: {}", e.toString());
        }
      }
    }
  }

  private void runTasks() {
    for (Queued<?> queued = tasks.poll(); queued != null; queued = tasks.poll()) {
      run(queued);
    }
  }

  private <T> void run(Queued<T> queued) {
    try {
      T value = queued.task().run(c);
      c.commit();
      queued.result().complete(value);
    } catch (SQLException | RuntimeException e) {
      rollback();
      queued.result().completeExceptionally(e);
    }
  }

  private void inTransaction(String what, Step work) {
    try {
      work.run(c);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      rollback();
      LOG.warn("{} failed: {}", what, e.getMessage());
    }
  }

  private void answerWaiters() {
    if (waiters.isEmpty() || deleter.busy()) {
      return;
    }
    for (FlushWaiter waiter : waiters) {
      if (!pending.anyBelow(waiter.belowId())) {
        waiter.done().complete(null);
        waiters.remove(waiter);
      }
    }
  }

  private void rollback() {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback failed: {}", e.getMessage());
    }
    inserter.reset();
    try {
      catalog.reload(c);
      c.commit();
    } catch (SQLException e) {
      LOG.warn("could not reload sessions: {}", e.getMessage());
    }
  }

  private <T> T await(CompletableFuture<T> result) {
    while (true) {
      try {
        return result.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (!thread.isAlive() && !result.isDone()) {
          throw new StoreException("the store is closed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for the store's writer");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new StoreException("database error: " + cause.getMessage(), cause);
      }
    }
  }
}
