package dev.plainsight.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the session to delete next so the data stays under {@code maxDataBytes} and the number of
 * sessions under {@code maxSessions} (0 = no limit): always the oldest, never the current one.
 * Returns the reason as one line for the log. Asked by the writer when no deletion is under way.
 */
final class Retention {
  /** A session to delete and why. */
  record Decision(SessionCatalog.Row session, String reason) {}

  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final long maxDataBytes;
  private final int maxSessions;

  Retention(long maxDataBytes, int maxSessions) {
    this.maxDataBytes = maxDataBytes;
    this.maxSessions = maxSessions;
  }

  boolean enabled() {
    return maxDataBytes > 0 || maxSessions > 0;
  }

  Optional<Decision> next(Connection c, SessionCatalog catalog) throws SQLException {
    List<SessionCatalog.Row> live = catalog.live();
    Optional<SessionCatalog.Row> oldest = live.stream()
        .filter(row -> row.id() != catalog.currentId())
        .findFirst();
    if (oldest.isEmpty()) {
      return Optional.empty();
    }
    if (maxSessions > 0 && live.size() > maxSessions) {
      return Optional.of(new Decision(oldest.get(), "there are " + live.size()
          + " sessions, over --max-sessions " + maxSessions));
    }
    if (maxDataBytes > 0) {
      long used = Database.usedBytes(c);
      if (used > maxDataBytes) {
        return Optional.of(new Decision(oldest.get(), "the data takes " + megabytes(used)
            + ", over --max-data-size " + megabytes(maxDataBytes)));
      }
    }
    return Optional.empty();
  }

  /**
   * One retention check, on the writer inside its transaction: when no deletion is under way,
   * marks the session to delete and hands it to {@code deleter}, or else lets {@code pause} check
   * the disk.
   */
  void apply(Connection c, SessionCatalog catalog, SessionDeleter deleter, CapturePause pause)
      throws SQLException {
    if (deleter.busy()) {
      return;
    }
    Decision decision = enabled() ? next(c, catalog).orElse(null) : null;
    if (decision == null) {
      pause.check(c);
      return;
    }
    long flows = catalog.markDeleting(c, decision.session().id());
    catalog.reload(c);
    deleter.schedule(decision.session().id());
    log(decision, flows);
  }

  /** The one log line for a session retention deletes. */
  private void log(Decision decision, long flows) {
    LOG.info("retention: deleting the oldest session {} \"{}\" ({} flows): {}",
        decision.session().id(), decision.session().name(), flows, decision.reason());
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }
}
