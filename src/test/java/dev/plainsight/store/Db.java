package dev.plainsight.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Looks into a store's database file directly, as a test's independent witness. */
final class Db {
  private Db() {}

  static long count(Path dataDir, String sql) {
    try (Connection c = DriverManager.getConnection(
            "jdbc:sqlite:" + dataDir.resolve(Database.FILE).toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }

  static String text(Path dataDir, String sql) {
    try (Connection c = DriverManager.getConnection(
            "jdbc:sqlite:" + dataDir.resolve(Database.FILE).toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new AssertionError("query failed: " + sql, e);
    }
  }
}
