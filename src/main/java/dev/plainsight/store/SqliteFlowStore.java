package dev.plainsight.store;

import dev.plainsight.flow.ParticipantCount;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowListener;
import dev.plainsight.flow.FlowPage;
import dev.plainsight.flow.FlowFilter;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.StoreStats;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Flows in SQLite under a data directory ({@code plainsight.db}), with bounded memory.
 * {@link #open} opens or creates the database, starts the writer thread and the session named in
 * the options. {@link #add} never touches the disk: it assigns the id, queues the flow for the
 * writer and tells the listeners, or, when the queue is full, drops the flow and counts it (id 0,
 * listeners not told); when only the bytes of its bodies do not fit, it keeps the flow without them
 * (sizes kept, bodies marked truncated) and counts that. {@link #update} keeps the newest version of a stored flow for the writer
 * (coalescing: one write per flow per writer turn) and tells the listeners; readers see it at
 * once. Queries read the disk plus the few flows not yet written; a page holds
 * flows without body bytes (sizes kept; only flows not yet written still have them);
 * {@link #find} returns a flow whole. {@link #close} writes
 * what is queued and closes the file.
 */
public final class SqliteFlowStore implements FlowStore {
  private static final int EXPORT_CHUNK = 200;

  private final Database db;
  private final PendingFlows pending;
  private final FlowPreparer preparer;
  private final PendingUpdates updates = new PendingUpdates();
  private final SessionCatalog catalog;
  private final FlowWriter writer;
  private final CapturePause pause;
  private final FlowReader reader = new FlowReader();
  private final ReentrantReadWriteLock commitLock;
  private final SqliteSessions sessions;
  private final List<FlowListener> listeners = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> writerResources;
  private final ConnectionTable connections;
  private volatile boolean closed;

  private SqliteFlowStore(Database db, StoreOptions options) throws SQLException {
    this.db = db;
    Connection c = db.writer();
    this.catalog = new SessionCatalog();
    catalog.reload(c);
    this.pending = new PendingFlows(options.queueCapacity(), options.queueMaxBytes(), StoreReads.firstId(c));
    this.connections = new ConnectionTable(c, catalog,
        new RawLegTable(c, options.queueMaxBytes()));
    c.commit();
    BodyTable bodies = new BodyTable(c, db.fullText(), options.maxIndexedChars());
    FlowInserter inserter = new FlowInserter(c, catalog, bodies, connections, db.fullText());
    FlowUpdater updater = new FlowUpdater(c, db.fullText());
    SessionDeleter deleter = new SessionDeleter(c, catalog, bodies, connections, db.fullText());
    deleter.resume();
    this.writerResources = List.of(inserter, updater, deleter, bodies, connections);
    this.commitLock = new ReentrantReadWriteLock();
    this.pause = new CapturePause(db.file().getParent(), options.maxDataBytes(),
        CapturePause.FREE_FLOOR);
    this.preparer = new FlowPreparer(pending, db.fullText());
    this.writer = new FlowWriter(c, pending, preparer, catalog, inserter, connections, updates,
        updater,
        deleter, new Retention(options.maxDataBytes(), options.maxSessions()), pause, commitLock,
        options);
    this.sessions = new SqliteSessions(db, catalog, writer);
  }

  /** Opens (or creates) {@code dataDir/plainsight.db} and starts the options' session. */
  public static SqliteFlowStore open(Path dataDir, StoreOptions options) {
    Database db = Database.open(dataDir, options.readConnections());
    try {
      SqliteFlowStore store = new SqliteFlowStore(db, options);
      store.preparer.start();
      store.writer.start();
      store.sessions.start(options.sessionName());
      return store;
    } catch (SQLException e) {
      db.close();
      throw new StoreException("cannot read the capture database " + db.file() + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  @Override
  public SqliteSessions sessions() {
    return sessions;
  }

  @Override
  public Flow add(Flow flow) {
    if (pause.reason() != null) {
      pause.countNotCaptured();
      return flow.withId(0);
    }
    Flow stored = closed ? null : pending.offerSheddingBodies(normalized(flow));
    if (stored == null) {
      pending.countDropped(flow);
      return flow.withId(0);
    }
    for (FlowListener listener : listeners) {
      listener.flowAdded(stored);
    }
    return stored;
  }

  @Override
  public void update(Flow flow) {
    if (closed || flow.id() <= 0 || flow.id() >= pending.nextId()) {
      return;
    }
    Flow newer = normalized(flow);
    updates.put(newer);
    for (FlowListener listener : listeners) {
      listener.flowUpdated(newer);
    }
  }

  /**
   * Like {@link #add} but waits for room in the queue instead of dropping (or keeping a flow
   * without its body bytes), and does not tell the listeners (they follow live capture): for bulk loads such as a HAR import, never for capture.
   */
  @Override
  public Flow addWaiting(Flow flow) {
    Flow normalized = normalized(flow);
    Flow stored;
    while ((stored = offerQuietly(normalized)) == null) {
      if (closed) {
        throw new StoreException("the store is closed");
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while waiting for room in the store's queue");
      }
    }
    return stored;
  }

  /** Offers a flow noted quiet before it can commit (a commit takes this lock's write side). */
  private Flow offerQuietly(Flow flow) {
    commitLock.readLock().lock();
    try {
      Flow stored = pending.offer(flow);
      if (stored != null) {
        writer.committed().quiet(stored.id());
      }
      return stored;
    } finally {
      commitLock.readLock().unlock();
    }
  }

  @Override
  public Optional<Flow> find(long id) {
    Optional<Flow> newer = updates.get(id);
    if (newer.isPresent()) {
      return newer;
    }
    Optional<Flow> waiting = pending.get(id);
    if (waiting.isPresent()) {
      return waiting;
    }
    return read(c -> reader.find(c, id));
  }

  @Override
  public FlowPage query(FlowQuery query) {
    return query(StoreQuery.of(query));
  }

  /** Newest first; {@code total} counts every match. */
  public FlowPage query(StoreQuery query) {
    return query(query.filter(), query.base().limit(), query.base().offset());
  }

  /** Newest first, {@code limit} from {@code offset}; {@code total} counts every match. */
  @Override
  public FlowPage query(FlowFilter filter, int limit, int offset) {
    Long sessionId = null;
    if (filter.session() != null) {
      OptionalLong resolved = catalog.resolve(filter.session());
      if (resolved.isEmpty()) {
        return new FlowPage(0, List.of());
      }
      sessionId = resolved.getAsLong();
    }
    limit = Math.max(1, Math.min(limit, FlowQuery.MAX_LIMIT));
    offset = Math.max(0, offset);
    FlowFilter inMemory = filter.withSession(sessionId == null ? null : sessionId.toString());
    QuerySql sql = QuerySql.of(filter, sessionId, catalog.deletingIds(), db.fullText());
    Connection c = db.borrow();
    try {
      List<Flow> waiting = new ArrayList<>();
      Map<Long, Flow> newer;
      commitLock.readLock().lock();
      try {
        for (Flow flow : pending.newestFirst()) {
          if (inMemory.test(flow)) {
            waiting.add(flow);
          }
        }
        FlowReader.beginSnapshot(c);
        // taken with the snapshot: an update committed later is still in this copy
        newer = updates.copy();
      } finally {
        commitLock.readLock().unlock();
      }
      long total = reader.count(c, sql, sessionId) + waiting.size();
      List<Flow> page = new ArrayList<>(limit);
      if (offset < waiting.size()) {
        page.addAll(waiting.subList(offset, Math.min(waiting.size(), offset + limit)));
      }
      int room = limit - page.size();
      if (room > 0 && total > waiting.size()) {
        page.addAll(reader.page(c, sql, Math.max(0, offset - waiting.size()), room));
      }
      return new FlowPage(total, PendingUpdates.overlay(page, newer));
    } catch (SQLException e) {
      throw new StoreException("cannot query flows: " + e.getMessage(), e);
    } finally {
      db.release(c);
    }
  }

  /** The participants of the committed flows (sessions being deleted left out), by name. */
  @Override
  public List<ParticipantCount> participants() {
    return read(c -> {
      commitLock.readLock().lock();
      try {
        Map<String, Long> counts = new TreeMap<>();
        for (ParticipantCount seen : StoreReads.participants(c, catalog.deletingIds())) {
          counts.put(seen.name(), seen.flows());
        }
        for (Flow waiting : pending.newestFirst()) {
          if (waiting.participant() != null) {
            counts.merge(waiting.participant(), 1L, Long::sum);
          }
        }
        return counts.entrySet().stream()
            .map(e -> new ParticipantCount(e.getKey(), e.getValue())).toList();
      } finally {
        commitLock.readLock().unlock();
      }
    });
  }

  /**
   * Every committed flow of a session, whole, oldest first, read a chunk at a time (for export).
   * Call {@link #flush} first to include the flows still queued.
   */
  @Override
  public void forEachFlow(String session, Consumer<Flow> action) {
    OptionalLong id = catalog.resolve(session);
    if (id.isEmpty()) {
      throw new StoreException("no session " + session);
    }
    long after = 0;
    while (true) {
      long from = after;
      List<Flow> chunk = read(c -> reader.sessionChunk(c, id.getAsLong(), from, EXPORT_CHUNK));
      for (Flow flow : updates.overlay(chunk)) {
        action.accept(flow);
      }
      if (chunk.size() < EXPORT_CHUNK) {
        return;
      }
      after = chunk.get(chunk.size() - 1).id();
    }
  }

  @Override
  public long openConnection() {
    return closed ? 0 : connections.nextId();
  }

  @Override
  public void putConnection(dev.plainsight.flow.Connection connection) {
    connections.put(connection);
  }

  @Override
  public Optional<dev.plainsight.flow.Connection> findConnection(long id) {
    var waiting = Optional.ofNullable(connections.pending(id));
    return waiting.isPresent() ? waiting : read(c -> reader.connection(c, id));
  }

  @Override
  public void keepRawLegs(long connectionId, long size,
      java.util.function.Supplier<dev.plainsight.flow.RawLegs> legs) {
    if (!closed) {
      connections.legs().put(connectionId, size, legs);
    }
  }

  @Override
  public Optional<dev.plainsight.flow.RawLegs> rawLegs(long connectionId) {
    var waiting = connections.legs().pending(connectionId);
    return waiting.isPresent() ? waiting : read(c -> RawLegTable.read(c, connectionId));
  }

  @Override
  public long rawLegsNotStored() {
    return connections.legs().notStoredCount();
  }

  @Override
  public List<Long> flowIdsOf(long connectionId) {
    return StoreReads.flowIdsOf(db, pending, commitLock, reader, connectionId);
  }

  @Override
  public void addListener(FlowListener listener) {
    listeners.add(listener);
  }

  /** On the writer thread (see {@link CommittedFeed}); flows of {@link #addWaiting} untold. */
  @Override
  public void addCommittedListener(FlowListener listener) {
    writer.committed().add(listener);
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(droppedCount(), bodiesNotKeptCount(), droppedByClient(10),
        pausedReason(), notCapturedCount(), failedCount(), queuedCount(), dataBytes());
  }

  /** Told after each commit, on the writer thread (see {@link CommitListener}). */
  public void addCommitListener(CommitListener listener) {
    writer.addCommitListener(listener);
  }

  /** Flows refused because the write queue was full: they were forwarded but not kept. */
  public long droppedCount() {
    return pending.droppedCount();
  }

  /** Dropped flows by client address (the heaviest first, at most {@code limit}). */
  public Map<String, Long> droppedByClient(int limit) {
    return pending.droppedByClient(limit);
  }

  /** Why capture is paused (the store or the disk is full), or null while capturing. */
  public String pausedReason() {
    return pause.reason();
  }

  /** Flows forwarded but not captured while capture was paused. */
  public long notCapturedCount() {
    return pause.notCapturedCount();
  }

  /** Flows kept without their body bytes because the queue's byte bound was reached. */
  public long bodiesNotKeptCount() {
    return pending.bodiesShedCount();
  }

  /** Flows accepted but lost to a database error while writing (each one logged). */
  public long failedCount() {
    return writer.failedCount();
  }

  /** Flows accepted and not yet committed. */
  public int queuedCount() {
    return pending.size();
  }

  /** Bytes the database's live pages take. */
  public long dataBytes() {
    return read(Database::usedBytes);
  }

  /** Waits until every flow added before this call is committed and no deletion is under way. */
  @Override
  public void flush() {
    writer.flush(pending.nextId());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.stop();
    preparer.stop();
    for (AutoCloseable resource : writerResources) {
      try {
        resource.close();
      } catch (Exception ignored) {
        // the connection is closed next anyway
      }
    }
    db.close();
  }

  <T> T read(FlowWriter.Task<T> work) {
    Connection c = db.borrow();
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("cannot read the capture database: " + e.getMessage(), e);
    } finally {
      db.release(c);
    }
  }

  private Flow normalized(Flow flow) {
    String session = catalog.normalize(flow.session());
    return session == null || session.equals(flow.session()) ? flow : flow.withSession(session);
  }
}
