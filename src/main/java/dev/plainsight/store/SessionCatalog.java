package dev.plainsight.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The sessions table as the store needs it at every flow: an in-memory copy of (id, name, start,
 * deleting) that readers use without touching the disk, and the writes, which only the writer
 * thread makes inside its transaction and follows with {@link #reload}. Session ids are stable;
 * names are labels.
 */
final class SessionCatalog {
  /** One session row without its counters. */
  record Row(long id, String name, Instant startedAt, boolean deleting) {}

  private volatile Map<Long, Row> rows = Map.of();
  private volatile long currentId;

  void reload(Connection c) throws SQLException {
    Map<Long, Row> fresh = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, name, started_at, deleting FROM sessions ORDER BY started_at, id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        fresh.put(rs.getLong(1), new Row(rs.getLong(1), rs.getString(2),
            Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4) != 0));
      }
    }
    rows = Collections.unmodifiableMap(fresh);
  }

  long currentId() {
    return currentId;
  }

  void current(long id) {
    currentId = id;
  }

  List<Row> live() {
    List<Row> live = new ArrayList<>();
    for (Row row : rows.values()) {
      if (!row.deleting()) {
        live.add(row);
      }
    }
    return live;
  }

  Optional<Row> row(long id) {
    return Optional.ofNullable(rows.get(id));
  }

  /** Ids of sessions whose flows are being deleted: queries leave them out. */
  List<Long> deletingIds() {
    List<Long> ids = new ArrayList<>();
    for (Row row : rows.values()) {
      if (row.deleting()) {
        ids.add(row.id());
      }
    }
    return ids;
  }

  /**
   * The id a session reference means: "" is the current session, a number is a session id (if
   * such a live session exists), anything else a session name.
   */
  OptionalLong resolve(String reference) {
    if (reference == null || reference.isBlank()) {
      return currentId == 0 ? OptionalLong.empty() : OptionalLong.of(currentId);
    }
    String ref = reference.trim();
    if (isNumber(ref)) {
      Row row = rows.get(Long.parseLong(ref));
      if (row != null && !row.deleting()) {
        return OptionalLong.of(row.id());
      }
    }
    for (Row row : rows.values()) {
      if (!row.deleting() && row.name().equals(ref)) {
        return OptionalLong.of(row.id());
      }
    }
    return OptionalLong.empty();
  }

  /** The reference as a session id string when it resolves, else unchanged. */
  String normalize(String reference) {
    OptionalLong id = resolve(reference);
    return id.isPresent() ? Long.toString(id.getAsLong()) : reference;
  }

  /**
   * Writer only: the session id for a flow's session reference, creating a session by that name
   * when none exists; empty for the id of a session deleted meanwhile (the flow is dropped).
   */
  OptionalLong forFlow(Connection c, String reference, Instant startedAt) throws SQLException {
    OptionalLong id = resolve(reference);
    if (id.isPresent()) {
      return id;
    }
    if (reference == null || reference.isBlank() || isNumber(reference.trim())) {
      return OptionalLong.empty();
    }
    long created = insert(c, reference.trim(), startedAt);
    reload(c);
    return OptionalLong.of(created);
  }

  /** Writer only: a new session row; the name must be free. */
  long insert(Connection c, String name, Instant startedAt) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO sessions(name, started_at) VALUES (?, ?) RETURNING id")) {
      s.setString(1, name);
      s.setLong(2, startedAt.toEpochMilli());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Writer only: hides the session from lists and queries and frees its name for a new session;
   * returns its flow count.
   */
  long markDeleting(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE sessions SET deleting = 1,"
        + " name = char(0) || 'deleted ' || id WHERE id = ? RETURNING flow_count")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** A name not yet taken: {@code base}, else "base (2)", "base (3)"... */
  String freeName(String base) {
    String name = base;
    for (int n = 2; nameTaken(name); n++) {
      name = base + " (" + n + ")";
    }
    return name;
  }

  boolean nameTaken(String name) {
    for (Row row : rows.values()) {
      if (row.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i)) || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
