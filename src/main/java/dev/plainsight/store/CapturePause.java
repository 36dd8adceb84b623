package dev.plainsight.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether capture is paused because the store is full: the data is above {@code maxDataBytes}
 * while retention has nothing left to delete (only the current session), or the data directory's
 * disk has less than {@link #FREE_FLOOR} usable. {@link #check} runs on the writer after retention
 * (each retention interval) and sets or clears the reason (one log line per change); {@link #reason}
 * (null: capturing) is read by {@code add} on the I/O threads, which then count the flow as not
 * captured instead of queueing it. Traffic itself is not affected.
 */
final class CapturePause {
  static final long FREE_FLOOR = 512L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(CapturePause.class);

  private final Path dataDir;
  private final long maxDataBytes;
  private final long freeFloor;
  private final LongAdder notCaptured = new LongAdder();
  private volatile String reason;

  CapturePause(Path dataDir, long maxDataBytes, long freeFloor) {
    this.dataDir = dataDir;
    this.maxDataBytes = maxDataBytes;
    this.freeFloor = freeFloor;
  }

  /** On the writer, when no deletion is under way (a deletion may still free space). */
  void check(Connection c) throws SQLException {
    String now = null;
    if (maxDataBytes > 0) {
      long used = Database.usedBytes(c);
      if (used >= maxDataBytes) {
        now = "the store is full: the data takes " + Sizes.format(used) + ", at --max-data-size "
            + Sizes.format(maxDataBytes) + " (delete or export a session, or raise --max-data-size)";
      }
    }
    if (now == null && freeFloor > 0) {
      long free = usable();
      if (free >= 0 && free < freeFloor) {
        now = "the disk is almost full: " + Sizes.format(free) + " free under " + dataDir
            + " (free some space)";
      }
    }
    String before = reason;
    if (now == null && before != null) {
      LOG.info("capture resumed (was paused: {}; {} flows not captured meanwhile)", before,
          notCaptured.sum());
    } else if (now != null && before == null) {
      LOG.warn("capture paused, traffic goes on: {}", now);
    }
    reason = now;
  }

  String reason() {
    return reason;
  }

  void countNotCaptured() {
    notCaptured.increment();
  }

  long notCapturedCount() {
    return notCaptured.sum();
  }

  private long usable() {
    try {
      return Files.getFileStore(dataDir).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Sizes for people: "12.3 GB", "512.0 MB". */
  static final class Sizes {
    private Sizes() {}

    static String format(long bytes) {
      if (bytes >= 1_000_000_000L) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
      }
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
  }
}
