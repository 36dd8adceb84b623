package dev.plainsight.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.ProgressHandler;

/**
 * Says at start whether the capture database is damaged, before anything reads or writes it:
 * {@code PRAGMA quick_check}, stopped after {@link #TIME_LIMIT_MS} on a very large file (then
 * the start goes on, and one line says the check was cut short). A damaged file is refused with
 * one line naming it and what to do; {@link #moveAside} is the {@code --repair} path: the damaged
 * file and its WAL are kept beside it (for {@code sqlite3 … .recover}, which reads what can still
 * be read) and the store starts anew.
 */
public final class DatabaseCheck {
  static final long TIME_LIMIT_MS = 20_000;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_NOTADB = 26;

  private DatabaseCheck() {}

  /** The store refuses a damaged database with this, naming the file and what to do. */
  public static final class DamagedDatabase extends StoreException {
    DamagedDatabase(Path file, String problem) {
      super("the capture database " + file + " is damaged (" + problem + "): start once with "
          + "--repair to move it aside (kept as " + file.getFileName() + ".damaged-<time>, for "
          + "sqlite3's .recover) and begin a new one, or pass another --data-dir");
    }
  }

  /** Throws {@link DamagedDatabase} when the quick check finds a problem. */
  static void check(Connection connection, Path file) {
    long deadline = System.currentTimeMillis() + TIME_LIMIT_MS;
    try {
      ProgressHandler.setHandler(connection, 10_000, new ProgressHandler() {
        @Override
        protected int progress() {
          return System.currentTimeMillis() > deadline ? 1 : 0;
        }
      });
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("PRAGMA quick_check(5)")) {
        List<String> problems = new ArrayList<>();
        while (rs.next()) {
          problems.add(rs.getString(1));
        }
        if (!problems.equals(List.of("ok"))) {
          throw new DamagedDatabase(file, String.join("; ", problems));
        }
      } finally {
        ProgressHandler.clearHandler(connection);
      }
    } catch (SQLException e) {
      if (System.currentTimeMillis() > deadline) {
        org.slf4j.LoggerFactory.getLogger(DatabaseCheck.class).warn("the integrity check of {} "
            + "was cut short after {} s (a very large file): starting without it", file,
            TIME_LIMIT_MS / 1000);
        return;
      }
      if (isDamage(e)) {
        throw new DamagedDatabase(file, e.getMessage());
      }
      throw new StoreException("cannot check the capture database " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** True for SQLite's "database disk image is malformed" and "file is not a database". */
  static boolean isDamage(SQLException e) {
    return e.getErrorCode() == SQLITE_CORRUPT || e.getErrorCode() == SQLITE_NOTADB
        || String.valueOf(e.getMessage()).contains("malformed")
        || String.valueOf(e.getMessage()).contains("not a database");
  }

  /**
   * {@code --repair}: when the database in {@code dataDir} is damaged, moves it and its WAL and
   * shared-memory files aside and says where; empty when it was sound (nothing is moved).
   */
  public static Optional<Path> moveAsideIfDamaged(Path dataDir) {
    Path file = dataDir.resolve(Database.FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
        + file.toAbsolutePath())) {
      check(c, file);
      return Optional.empty();
    } catch (DamagedDatabase damaged) {
      return Optional.of(moveAside(file));
    } catch (SQLException e) {
      if (isDamage(e)) {
        return Optional.of(moveAside(file));
      }
      throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path moveAside(Path file) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + stamp);
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      for (String suffix : List.of("-wal", "-shm")) {
        Path side = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(side)) {
          Files.move(side, aside.resolveSibling(aside.getFileName() + suffix),
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot move the damaged " + file + " aside: " + e.getMessage(), e);
    }
    return aside;
  }
}
