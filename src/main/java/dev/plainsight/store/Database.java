package dev.plainsight.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database file {@code plainsight.db} in a data directory: one writer connection (used only
 * by the writer thread) and a small pool of reader connections. {@link #open} takes an exclusive
 * lock on the directory, sets WAL mode and creates the schema; {@link #borrow} hands out a reader
 * whose next statement starts a snapshot that lasts until {@link #release}. The pool is a stack,
 * so a lone dashboard keeps reusing the reader whose cache is warm.
 */
final class Database implements AutoCloseable {
  static final String FILE = "plainsight.db";
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int SCHEMA_VERSION = 4;
  private static final String TOKENIZER = "tokenize = \"unicode61 remove_diacritics 2\"";
  /** Readers map up to this much of the file: the OS page cache, shared, instead of copies. */
  private static final long MMAP_BYTES = 2L << 30;

  private final Path file;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Connection writer;
  private final List<Connection> readers = new ArrayList<>();
  private final BlockingDeque<Connection> idle;
  private final boolean fullText;

  private Database(Path file, FileChannel lockChannel, FileLock lock, Connection writer,
      int readerCount, boolean fullText) throws SQLException {
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.writer = writer;
    this.fullText = fullText;
    this.idle = new LinkedBlockingDeque<>(readerCount);
    for (int i = 0; i < readerCount; i++) {
      Connection reader = connect(file);
      try (Statement s = reader.createStatement()) {
        s.execute("PRAGMA query_only = ON");
        s.execute("PRAGMA mmap_size = " + MMAP_BYTES);
      }
      reader.setAutoCommit(false);
      readers.add(reader);
      idle.add(reader);
    }
  }

  static Database open(Path dataDir, int readerCount) {
    FileChannel channel = null;
    Connection writer = null;
    try {
      Files.createDirectories(dataDir);
      OwnerOnly.directory(dataDir);
      channel = FileChannel.open(dataDir.resolve("plainsight.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel, dataDir);
      Path file = dataDir.resolve(FILE);
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
      for (String name : List.of(FILE, FILE + "-wal", FILE + "-shm", "plainsight.lock")) {
        OwnerOnly.file(dataDir.resolve(name));
      }
      writer = connect(file);
      DatabaseCheck.check(writer, file);
      boolean fullText = createSchema(writer);
      writer.setAutoCommit(false);
      return new Database(file, channel, lock, writer, readerCount, fullText);
    } catch (SQLException e) {
      closeQuietly(writer);
      closeQuietly(channel);
      if (DatabaseCheck.isDamage(e)) {
        throw new DatabaseCheck.DamagedDatabase(dataDir.resolve(FILE), e.getMessage());
      }
      throw new StoreException("cannot open the capture database in " + dataDir + ": "
          + e.getMessage() + " (check that the directory is writable, or pass another --data-dir)",
          e);
    } catch (IOException e) {
      closeQuietly(writer);
      closeQuietly(channel);
      throw new StoreException("cannot open the capture database in " + dataDir + ": "
          + e.getMessage() + " (check that the directory is writable, or pass another --data-dir)",
          e);
    } catch (RuntimeException e) {
      closeQuietly(writer);
      closeQuietly(channel);
      throw e;
    }
  }

  Path file() { return file; }

  Connection writer() { return writer; }

  /** Whether SQLite's FTS5 is there; without it text search falls back to LIKE over URLs. */
  boolean fullText() { return fullText; }

  Connection borrow() {
    try {
      return idle.takeFirst();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a database connection");
    }
  }

  /** Ends the reader's snapshot and puts it back in the pool. */
  void release(Connection reader) {
    try {
      reader.rollback();
    } catch (SQLException e) {
      LOG.warn("could not end a read transaction: {}", e.getMessage());
    }
    idle.addFirst(reader);
  }

  /** Bytes the database's live pages take (free pages left by deletions excluded). */
  static long usedBytes(Connection connection) throws SQLException {
    long livePages =
        pragmaLong(connection, "page_count") - pragmaLong(connection, "freelist_count");
    return livePages * pragmaLong(connection, "page_size");
  }

  static long pragmaLong(Connection connection, String pragma) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public void close() {
    for (Connection reader : readers) {
      closeQuietly(reader);
    }
    try (Statement s = writer.createStatement()) {
      writer.commit();
      writer.setAutoCommit(true);
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      LOG.warn("could not checkpoint the database on close: {}", e.getMessage());
    }
    closeQuietly(writer);
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it as well
    }
    closeQuietly(lockChannel);
  }

  private static FileLock tryLock(FileChannel channel, Path dataDir) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new StoreException("the data directory " + dataDir
          + " is in use by another Plainsight: stop it, or pass another --data-dir");
    }
    return lock;
  }

  private static Connection connect(Path file) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("jdbc.get_generated_keys", "false");
    Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
      s.execute("PRAGMA temp_store = MEMORY");
      s.execute("PRAGMA cache_size = -16384");
    }
    return connection;
  }

  /** Creates the tables on a new file; returns whether full-text search is available. */
  private static boolean createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      long version = pragmaLong(c, "user_version");
      if (version > SCHEMA_VERSION) {
        throw new StoreException("the capture database was written by a newer Plainsight "
            + "(schema " + version + "): use that version, or pass another --data-dir");
      }
      boolean empty;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
        empty = rs.next() && rs.getLong(1) == 0;
      }
      if (empty) {
        s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      }
      s.execute("PRAGMA journal_size_limit = 67108864");
      s.execute("""
          CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)""");
      s.execute("""
          CREATE TABLE IF NOT EXISTS sessions(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            started_at INTEGER NOT NULL,
            flow_count INTEGER NOT NULL DEFAULT 0,
            traffic_bytes INTEGER NOT NULL DEFAULT 0,
            stored_bytes INTEGER NOT NULL DEFAULT 0,
            deleting INTEGER NOT NULL DEFAULT 0)""");
      s.execute("""
          CREATE TABLE IF NOT EXISTS bodies(
            id INTEGER PRIMARY KEY,
            sha256 BLOB NOT NULL UNIQUE,
            refs INTEGER NOT NULL,
            size INTEGER NOT NULL,
            data BLOB NOT NULL)""");
      s.execute("""
          CREATE TABLE IF NOT EXISTS flows(
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            host TEXT,
            method TEXT,
            status INTEGER,
            client TEXT,
            url TEXT,
            req_body INTEGER,
            resp_body INTEGER,
            participant TEXT)""");
      addMissingColumn(s, "flows", "participant", "TEXT");
      addMissingColumn(s, "flows", "connection", "INTEGER");
      s.execute("CREATE TABLE IF NOT EXISTS flow_details(id INTEGER PRIMARY KEY, "
          + "detail BLOB NOT NULL)");
      s.execute("""
          CREATE TABLE IF NOT EXISTS connections(
            id INTEGER PRIMARY KEY,
            session_id INTEGER,
            opened_at INTEGER NOT NULL,
            detail BLOB NOT NULL)""");
      s.execute("CREATE INDEX IF NOT EXISTS connections_session ON connections(session_id)");
      s.execute("""
          CREATE TABLE IF NOT EXISTS raw_legs(
            connection_id INTEGER PRIMARY KEY,
            session_id INTEGER,
            size INTEGER NOT NULL,
            legs BLOB NOT NULL,
            secrets TEXT NOT NULL)""");
      s.execute("CREATE INDEX IF NOT EXISTS raw_legs_session ON raw_legs(session_id)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_connection ON flows(connection, id)"
          + " WHERE connection IS NOT NULL");
      LadderMigration.run(c, s);
      s.execute("CREATE TABLE IF NOT EXISTS hosts(name TEXT PRIMARY KEY) WITHOUT ROWID");
      s.execute("CREATE INDEX IF NOT EXISTS flows_session ON flows(session_id, id)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_kind ON flows(kind, id)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_host ON flows(host, id)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_status ON flows(status, id)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_method ON flows(method, id)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_started ON flows(started_at)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_participant ON flows(participant, id)");
      s.execute("CREATE INDEX IF NOT EXISTS flows_req_body ON flows(req_body)"
          + " WHERE req_body IS NOT NULL");
      s.execute("CREATE INDEX IF NOT EXISTS flows_resp_body ON flows(resp_body)"
          + " WHERE resp_body IS NOT NULL");
      boolean fullText = createFullText(s);
      s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      return fullText;
    }
  }

  /**
   * Schema 1 to 2 (a column for a filter) and 3 to 4 (a flow's connection): a column added to a
   * database an older Plainsight wrote.
   */
  private static void addMissingColumn(Statement s, String table, String column, String type)
      throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pragma_table_info('" + table
        + "') WHERE name = '" + column + "'")) {
      if (rs.next() && rs.getLong(1) > 0) {
        return;
      }
    }
    s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
  }

  private static boolean createFullText(Statement s) {
    try {
      for (String table : List.of("flow_text", "body_text")) {
        s.execute("CREATE VIRTUAL TABLE IF NOT EXISTS " + table + " USING fts5(text, "
            + TOKENIZER + ", content = '', contentless_delete = 1)");
      }
      return true;
    } catch (SQLException e) {
      LOG.warn("SQLite full-text search (FTS5) is unavailable ({}); text search will only "
          + "look at URLs", e.getMessage());
      return false;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // nothing more to do while giving up
      }
    }
  }
}
