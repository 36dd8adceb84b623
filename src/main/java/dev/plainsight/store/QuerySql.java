package dev.plainsight.store;

import dev.plainsight.flow.FlowFilter;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.HostList;
import dev.plainsight.flow.HostPattern;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FlowFilter} compiled to the WHERE clause (over {@code flows f}) and its parameters:
 * the same meaning as {@link FlowFilter#test}, which a property test checks. Host patterns become
 * LIKE patterns over the {@code hosts} table (host names are stored lower-cased). Text goes to
 * FTS5 as a phrase whose last word may be a prefix ("api/log" finds ".../api/login"), matched
 * against each flow's URL, headers and error and against the text of its bodies; text without a
 * letter or digit, or a database without FTS5, falls back to a LIKE over URLs.
 */
final class QuerySql {
  private final List<String> conditions = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();
  private boolean onlySession;

  static QuerySql of(FlowFilter filter, Long sessionId, List<Long> hiddenSessions,
      boolean fullText) {
    QuerySql sql = new QuerySql();
    if (sessionId != null) {
      sql.add("f.session_id = ?", sessionId);
    }
    if (!hiddenSessions.isEmpty()) {
      StringBuilder in = new StringBuilder("f.session_id NOT IN (");
      for (int i = 0; i < hiddenSessions.size(); i++) {
        in.append(i == 0 ? "" : ",").append(hiddenSessions.get(i).longValue());
      }
      sql.conditions.add(in.append(')').toString());
    }
    int sessionConditions = sql.conditions.size();
    if (!filter.kinds().isAny()) {
      List<String> marks = new ArrayList<>();
      for (FlowKind kind : filter.kinds().kinds()) {
        marks.add("?");
        sql.params.add(kind.wire());
      }
      sql.conditions.add("f.kind " + (filter.kinds().negated() ? "NOT IN (" : "IN (")
          + String.join(",", marks) + ")");
    }
    if (!filter.hosts().isAny()) {
      sql.hosts(filter.hosts().patterns(), filter.hosts().negated());
    }
    if (filter.background() != null) {
      HostList background = filter.backgroundHosts();
      if (background.isAny()) {
        sql.conditions.add(filter.background() ? "0" : "1");
      } else {
        sql.hosts(background.patterns(), !filter.background());
      }
    }
    if (filter.method() != null) {
      sql.add("f.method = ?", filter.method());
    }
    if (filter.wantsNoStatus()) {
      sql.add("f.status IS NULL");
    } else {
      if (filter.statusMin() != null) {
        sql.add("f.status >= ?", filter.statusMin());
      }
      if (filter.statusMax() != null) {
        sql.add("f.status <= ?", filter.statusMax());
      }
    }
    if (filter.client() != null) {
      sql.add("f.client LIKE ? ESCAPE '\\'", escapeLike(filter.client()) + "%");
    }
    if (filter.participant() != null) {
      sql.add("f.participant = ?", filter.participant());
    }
    if (filter.text() != null) {
      sql.text(filter.text(), fullText);
    }
    sql.onlySession = sql.conditions.size() == sessionConditions;
    return sql;
  }

  /** Whether nothing but the session (and hidden sessions) is filtered on. */
  boolean onlySession() {
    return onlySession;
  }

  String where() {
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /** Binds the parameters from index 1; returns the next free index. */
  int bind(PreparedStatement s) throws SQLException {
    int i = 1;
    for (Object param : params) {
      s.setObject(i++, param);
    }
    return i;
  }

  /** The host is one of the patterns' (or, negated, none of them: hostless flows included). */
  private void hosts(List<HostPattern> patterns, boolean negated) {
    StringBuilder any = new StringBuilder("SELECT name FROM hosts WHERE ");
    for (int i = 0; i < patterns.size(); i++) {
      any.append(i == 0 ? "" : " OR ").append("name LIKE ? ESCAPE '\\'");
      params.add(patterns.get(i).like());
    }
    conditions.add(negated ? "(f.host IS NULL OR f.host NOT IN (" + any + "))"
        : "f.host IN (" + any + ")");
  }

  private void text(String text, boolean fullText) {
    if (fullText && text.codePoints().anyMatch(Character::isLetterOrDigit)) {
      String match = "\"" + text.replace("\"", "\"\"") + "\" *";
      add("f.id IN (SELECT rowid FROM flow_text WHERE flow_text MATCH ?"
          + " UNION SELECT id FROM flows WHERE resp_body IN"
          + " (SELECT rowid FROM body_text WHERE body_text MATCH ?)"
          + " UNION SELECT id FROM flows WHERE req_body IN"
          + " (SELECT rowid FROM body_text WHERE body_text MATCH ?))");
      params.add(match);
      params.add(match);
      params.add(match);
    } else {
      add("lower(f.url) LIKE ? ESCAPE '\\'", "%" + escapeLike(text) + "%");
    }
  }

  private void add(String condition, Object... values) {
    conditions.add(condition);
    params.addAll(List.of(values));
  }

  static String escapeLike(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
