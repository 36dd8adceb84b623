package dev.plainsight.store;

import dev.plainsight.flow.FlowQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The WHERE clause (over {@code flows f}) and its parameters for a {@link StoreQuery}. Text goes
 * to FTS5 as a phrase whose last word may be a prefix ("api/log" finds ".../api/login"), matched
 * against each flow's URL, headers and error and against the text of its bodies; text without a
 * letter or digit, or a database without FTS5, falls back to a LIKE over URLs.
 */
final class QuerySql {
  private final List<String> conditions = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();
  private boolean onlySession;

  static QuerySql of(StoreQuery query, Long sessionId, List<Long> hiddenSessions,
      boolean fullText) {
    QuerySql sql = new QuerySql();
    FlowQuery base = query.base();
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
    if (base.kind() != null) {
      sql.add("f.kind = ?", base.kind().wire());
    }
    if (base.host() != null) {
      sql.add("f.host IN (SELECT name FROM hosts WHERE name LIKE ? ESCAPE '\\')",
          "%" + escapeLike(base.host()) + "%");
    }
    if (query.method() != null) {
      sql.add("f.method = ?", query.method());
    }
    if (query.wantsNoStatus()) {
      sql.add("f.status IS NULL");
    } else {
      if (query.statusMin() != null) {
        sql.add("f.status >= ?", query.statusMin());
      }
      if (query.statusMax() != null) {
        sql.add("f.status <= ?", query.statusMax());
      }
    }
    if (query.client() != null) {
      sql.add("f.client LIKE ? ESCAPE '\\'", escapeLike(query.client()) + "%");
    }
    if (query.participant() != null) {
      sql.add("f.participant = ?", query.participant());
    }
    if (base.text() != null) {
      sql.text(base.text(), fullText);
    }
    sql.onlySession = sql.params.size() == (sessionId == null ? 0 : 1);
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
