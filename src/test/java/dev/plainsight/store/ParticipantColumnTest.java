package dev.plainsight.store;

import dev.plainsight.flow.ParticipantCount;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The participant filter on disk and in the write queue, and the column a schema-1 file lacks. */
class ParticipantColumnTest {
  @TempDir Path dir;

  private static Flow as(String participant, String path) {
    Flow plain = Flows.http("", "example.test", path, "ok");
    return new Flow(plain.id(), plain.session(), plain.kind(), plain.startedAt(), plain.client(),
        plain.method(), plain.url(), plain.host(), plain.port(), plain.status(),
        plain.requestBytes(), plain.responseBytes(), plain.durationMs(), plain.error(),
        plain.request(), plain.response(), plain.tls(), plain.timings(), plain.wire(),
        participant, List.of(), List.of());
  }

  private static StoreQuery forParticipant(String name) {
    return StoreQuery.of(FlowQuery.all()).forParticipant(name);
  }

  @Test
  void flowsAreFoundByTheirParticipantBeforeAndAfterTheyAreWritten() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      store.add(as("alice", "/a1"));
      store.add(as("bob", "/b1"));
      store.add(as(null, "/nobody"));
      store.add(as("alice", "/a2"));
      assertEquals(2, store.query(forParticipant("alice")).total(), "queued or written");
      store.flush();
      assertEquals(2, store.query(forParticipant("alice")).total());
      assertEquals(List.of("/a2", "/a1"), store.query(forParticipant("alice")).flows().stream()
          .map(f -> f.url().substring(f.url().lastIndexOf('/'))).toList());
      assertEquals(1, store.query(forParticipant("bob")).total());
      assertEquals(0, store.query(forParticipant("Alice")).total(), "names are exact");
      assertEquals(4, store.query(forParticipant(" ")).total(), "a blank name filters nothing");
      assertEquals(List.of(new ParticipantCount("alice", 2), new ParticipantCount("bob", 1)),
          store.participants());
    }
  }

  @Test
  void aDatabaseFromBeforeParticipantsGainsTheColumnAndKeepsItsFlows() throws Exception {
    Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE));
        Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE flows(id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL,
            kind TEXT NOT NULL, started_at INTEGER NOT NULL, host TEXT, method TEXT,
            status INTEGER, client TEXT, url TEXT, req_body INTEGER, resp_body INTEGER)""");
      s.execute("PRAGMA user_version = 1");
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      store.add(as("carol", "/c"));
      store.flush();
      assertEquals(1, store.query(forParticipant("carol")).total());
      assertEquals("carol", store.query(forParticipant("carol")).flows().get(0).participant());
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals(1, store.query(forParticipant("carol")).total(), "opens again as schema 2");
    }
  }
}
