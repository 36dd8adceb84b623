package dev.plainsight.store;

import dev.plainsight.flow.Sessions;
import dev.plainsight.flow.StoredSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Capture sessions kept in the database, so they survive restarts. A session is a named capture
 * run; new flows are filed under the current one ({@link #currentId}, the stable id that flows
 * carry). {@link #start} continues the session of that name or starts a new one (named by date and
 * time when no name is given) and makes it current; {@link #create} makes one without switching
 * (for imports). {@link #delete} hides a session at once and removes its flows and the bodies no
 * other flow uses in the background; the current session cannot be deleted.
 * {@link #startNew} always makes a new session; {@link #removeEmptyButCurrent} (at start) drops
 * the sessions earlier launches left without a flow.
 */
public final class SqliteSessions implements Sessions {
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final int MAX_NAME = 200;

  private final Database db;
  private final SessionCatalog catalog;
  private final FlowWriter writer;

  SqliteSessions(Database db, SessionCatalog catalog, FlowWriter writer) {
    this.db = db;
    this.catalog = catalog;
    this.writer = writer;
  }

  public String currentId() {
    return Long.toString(catalog.currentId());
  }

  public StoredSession current() {
    return find(currentId()).orElseThrow();
  }

  /** Continues the session called {@code name}, or starts a new one; it becomes current. */
  public synchronized StoredSession start(String name) {
    String wanted = name == null || name.isBlank() ? null : checkedName(name);
    long id = writer.call(c -> {
      if (wanted != null) {
        OptionalLong existing = byName(wanted);
        if (existing.isPresent()) {
          return existing.getAsLong();
        }
      }
      String chosen = wanted != null ? wanted : catalog.freeName(NAME.format(LocalDateTime.now()));
      long created = catalog.insert(c, chosen, Instant.now());
      catalog.reload(c);
      return created;
    });
    catalog.current(id);
    return find(Long.toString(id)).orElseThrow();
  }

  /**
   * A new session named {@code name}, or "name (2)", "name (3)"... when taken, made current: a
   * run that must not append to an earlier one of that name (the demo story).
   */
  public synchronized StoredSession startNew(String name) {
    String base = checkedName(name);
    long id = writer.call(c -> {
      long created = catalog.insert(c, catalog.freeName(base), Instant.now());
      catalog.reload(c);
      return created;
    });
    catalog.current(id);
    return find(Long.toString(id)).orElseThrow();
  }

  /** Makes the session with this id current again. */
  public synchronized StoredSession resume(String id) {
    long sessionId = require(id);
    catalog.current(sessionId);
    return find(Long.toString(sessionId)).orElseThrow();
  }

  /**
   * Deletes every session that holds no committed flow, except the current one, and returns how
   * many: at start, so that launches that captured nothing leave nothing behind. Only safe when
   * no flow is on its way to such a session (before the proxy starts).
   */
  public synchronized int removeEmptyButCurrent() {
    int removed = 0;
    for (StoredSession session : list()) {
      if (!session.current() && session.flowCount() == 0 && delete(session.id())) {
        removed++;
      }
    }
    return removed;
  }

  /** A new session, not current; a taken name gets " (2)", " (3)"... appended. */
  public StoredSession create(String name) {
    String base = name == null || name.isBlank()
        ? NAME.format(LocalDateTime.now()) : checkedName(name);
    long id = writer.call(c -> {
      long created = catalog.insert(c, catalog.freeName(base), Instant.now());
      catalog.reload(c);
      return created;
    });
    return find(Long.toString(id)).orElseThrow();
  }

  /** Every session, oldest first, with the counts of its committed flows. */
  public List<StoredSession> list() {
    return read("SELECT id, name, started_at, flow_count, traffic_bytes, stored_bytes"
        + " FROM sessions WHERE deleting = 0 ORDER BY started_at, id", null);
  }

  /** The session with that id, or else with that name. */
  public Optional<StoredSession> find(String idOrName) {
    OptionalLong id = catalog.resolve(idOrName == null ? "" : idOrName);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    List<StoredSession> found = read("SELECT id, name, started_at, flow_count, traffic_bytes,"
        + " stored_bytes FROM sessions WHERE id = ? AND deleting = 0", id.getAsLong());
    return found.stream().findFirst();
  }

  public synchronized StoredSession rename(String id, String newName) {
    long sessionId = require(id);
    String name = checkedName(newName);
    writer.call(c -> {
      OptionalLong holder = byName(name);
      if (holder.isPresent() && holder.getAsLong() != sessionId) {
        throw new IllegalArgumentException("a session named \"" + name + "\" already exists");
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE sessions SET name = ? WHERE id = ?")) {
        s.setString(1, name);
        s.setLong(2, sessionId);
        s.executeUpdate();
      }
      catalog.reload(c);
      return null;
    });
    return find(Long.toString(sessionId)).orElseThrow();
  }

  /**
   * Deletes the session, its flows and the bodies no other flow uses; false when there is no such
   * session. The session disappears at once; its data is removed in the background.
   */
  public synchronized boolean delete(String id) {
    OptionalLong sessionId = catalog.resolve(id == null ? "" : id);
    if (sessionId.isEmpty() || id == null || id.isBlank()) {
      return false;
    }
    if (sessionId.getAsLong() == catalog.currentId()) {
      throw new IllegalStateException("session " + id + " is the current capture session: "
          + "start another one before deleting it");
    }
    writer.call(c -> {
      catalog.markDeleting(c, sessionId.getAsLong());
      catalog.reload(c);
      writer.scheduleDeletion(sessionId.getAsLong());
      return null;
    });
    return true;
  }

  private long require(String id) {
    OptionalLong sessionId = catalog.resolve(id == null ? "" : id);
    if (sessionId.isEmpty() || id == null || id.isBlank()) {
      throw new IllegalArgumentException("no session " + id);
    }
    return sessionId.getAsLong();
  }

  private OptionalLong byName(String name) {
    for (SessionCatalog.Row row : catalog.live()) {
      if (row.name().equals(name)) {
        return OptionalLong.of(row.id());
      }
    }
    return OptionalLong.empty();
  }

  private static String checkedName(String name) {
    String trimmed = name.trim();
    if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
      throw new IllegalArgumentException("a session name must have 1 to " + MAX_NAME
          + " characters");
    }
    if (trimmed.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("a session name cannot be only digits (\"" + trimmed
          + "\" would read as a session id)");
    }
    if (trimmed.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a session name cannot hold control characters");
    }
    return trimmed;
  }

  private List<StoredSession> read(String sql, Long id) {
    long current = catalog.currentId();
    Connection c = db.borrow();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      if (id != null) {
        s.setLong(1, id);
      }
      List<StoredSession> sessions = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sessions.add(new StoredSession(Long.toString(rs.getLong(1)), rs.getString(2),
              Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4), rs.getLong(5), rs.getLong(6),
              rs.getLong(1) == current));
        }
      }
      return sessions;
    } catch (SQLException e) {
      throw new StoreException("cannot read sessions: " + e.getMessage(), e);
    } finally {
      db.release(c);
    }
  }
}
