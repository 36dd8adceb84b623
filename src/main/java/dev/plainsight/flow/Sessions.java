package dev.plainsight.flow;

import java.util.List;
import java.util.Optional;

/**
 * Capture sessions as the dashboard and HAR import and export see them. A session is a named
 * capture run; new flows are filed under the current one ({@link #currentId}, the stable id flows
 * carry). {@link #start} continues the session of that name or starts a new one and makes it
 * current; {@link #create} makes one without switching (for imports); {@link #delete} hides a
 * session at once (not the current one). Bad names are an {@link IllegalArgumentException}.
 */
public interface Sessions {
  String currentId();

  StoredSession current();

  StoredSession start(String name);

  StoredSession create(String name);

  /** Every session, oldest first. */
  List<StoredSession> list();

  /** The session with that id, or else with that name. */
  Optional<StoredSession> find(String idOrName);

  StoredSession rename(String id, String newName);

  /** False when there is no such session; {@link IllegalStateException} for the current one. */
  boolean delete(String id);
}
