package dev.plainsight.flow;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture sessions: named runs that new flows are filed under. A new one starts at each launch,
 * named by date and time, unless a name is given. Held in memory until the persistent store lands.
 */
public final class Sessions {
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** One session as listed by the API. */
  public record Session(String id, Instant startedAt) {}

  private final List<Session> all = new ArrayList<>();
  private volatile Session current;

  public Sessions(String initialName) {
    start(initialName);
  }

  public String currentId() {
    return current.id();
  }

  public synchronized Session start(String name) {
    String id = name == null || name.isBlank() ? NAME.format(LocalDateTime.now()) : name.trim();
    Session session = all.stream().filter(s -> s.id().equals(id)).findFirst()
        .orElseGet(() -> {
          Session created = new Session(id, Instant.now());
          all.add(created);
          return created;
        });
    current = session;
    return session;
  }

  public synchronized List<Session> list() {
    return List.copyOf(all);
  }
}
