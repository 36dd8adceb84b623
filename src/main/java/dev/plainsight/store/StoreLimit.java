package dev.plainsight.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The store's default size limit, chosen once at start: a quarter of the usable space of the file
 * system that holds the data directory (its nearest existing ancestor when it does not exist
 * yet), so one client's flood cannot fill the trainer's disk. {@link #describe} is the banner line.
 */
public final class StoreLimit {
  /** Asks for the default limit instead of a size. */
  public static final long AUTO = -1;

  private StoreLimit() {}

  /** {@code requested} itself, or for {@link #AUTO} a quarter of the free disk (0 if unknown). */
  public static long resolve(long requested, Path dataDir) {
    if (requested != AUTO) {
      return requested;
    }
    Path dir = dataDir.toAbsolutePath();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    try {
      return dir == null ? 0 : Files.getFileStore(dir).getUsableSpace() / 4;
    } catch (IOException e) {
      return 0;
    }
  }

  /** "12.3 GB (a quarter of the free disk; --max-data-size to change)" and the like. */
  public static String describe(long requested, long resolved) {
    if (resolved == 0) {
      return "none (--max-data-size to set one; capture still pauses under "
          + CapturePause.Sizes.format(CapturePause.FREE_FLOOR) + " of free disk)";
    }
    return CapturePause.Sizes.format(resolved) + (requested == AUTO
        ? " (a quarter of the free disk; --max-data-size to change)" : " (--max-data-size)");
  }
}
