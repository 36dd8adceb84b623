package dev.plainsight.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Captured data is readable by its owner only: the data directory becomes 700 and each file 600,
 * existing ones tightened at start. SQLite creates a database's {@code -wal} and {@code -shm}
 * with the database file's own mode, so tightening that file covers them. A file system without
 * POSIX permissions is left as it is.
 */
public final class OwnerOnly {
  private OwnerOnly() {}

  public static void directory(Path dir) throws IOException {
    set(dir, "rwx------");
  }

  /** Tightens {@code file} when it exists. */
  public static void file(Path file) throws IOException {
    if (Files.exists(file)) {
      set(file, "rw-------");
    }
  }

  private static void set(Path path, String permissions) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(PosixFilePermissions.fromString(permissions));
    }
  }
}
