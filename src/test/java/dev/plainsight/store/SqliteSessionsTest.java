package dev.plainsight.store;

import dev.plainsight.flow.StoredSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.FlowQuery;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSessionsTest {
  @TempDir Path dir;

  @Test
  void eachLaunchStartsANewSessionAndANamedOneContinues() {
    String morning;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir,
        StoreOptions.defaults().withSessionName("workshop morning"))) {
      morning = store.sessions().currentId();
      store.add(Flows.http("", "a.example", "/", "hello"));
      store.add(Flows.http("", "b.example", "/", "world"));
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      SqliteSessions sessions = store.sessions();
      assertNotEquals(morning, sessions.currentId(), "a launch without a name starts afresh");
      assertTrue(sessions.current().name().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"),
          sessions.current().name());
      List<StoredSession> list = sessions.list();
      assertEquals(2, list.size());
      StoredSession first = list.get(0);
      assertEquals("workshop morning", first.name());
      assertEquals(2, first.flowCount());
      assertEquals(10, first.trafficBytes());
      assertTrue(first.storedBytes() > 10);
      assertFalse(first.current());
      assertTrue(list.get(1).current());
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir,
        StoreOptions.defaults().withSessionName("workshop morning"))) {
      assertEquals(morning, store.sessions().currentId(), "--session NAME continues it");
      store.add(Flows.http("", "c.example", "/", "again"));
      store.flush();
      assertEquals(3, store.query(new FlowQuery(morning, null, null, null, 10, 0)).total());
      assertEquals(3, store.sessions().current().flowCount());
    }
  }

  @Test
  void startingWithoutANameTwiceInOneSecondGivesTwoSessions() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      StoredSession a = store.sessions().start(null);
      StoredSession b = store.sessions().start(null);
      assertNotEquals(a.id(), b.id());
      assertNotEquals(a.name(), b.name());
    }
  }

  @Test
  void renamingKeepsTheIdAndTheFlowsAndRefusesATakenName() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir,
        StoreOptions.defaults().withSessionName("draft"))) {
      String id = store.sessions().currentId();
      store.add(Flows.http("", "a.example", "/", "x"));
      store.sessions().create("taken");
      StoredSession renamed = store.sessions().rename(id, "login lab");
      assertEquals(id, renamed.id());
      assertEquals("login lab", renamed.name());
      store.flush();
      assertEquals(1, store.query(new FlowQuery("login lab", null, null, null, 10, 0)).total());
      IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
          () -> store.sessions().rename(id, "taken"));
      assertTrue(taken.getMessage().contains("already exists"));
      assertThrows(IllegalArgumentException.class, () -> store.sessions().rename(id, "12345"),
          "a name of digits would read as an id");
      assertThrows(IllegalArgumentException.class, () -> store.sessions().rename("999", "x"));
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertEquals("login lab", store.sessions().list().get(0).name(), "renames persist");
    }
  }

  @Test
  void deletingASessionRemovesItsFlowsAndTheBodiesNoOneElseUses() {
    String old;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      old = store.sessions().currentId();
      for (int i = 0; i < 30; i++) {
        store.add(Flows.http("", "old.example", "/" + i, "only in the old session " + i));
      }
      store.add(Flows.http("", "old.example", "/shared", "shared body"));
      store.sessions().start("new");
      store.add(Flows.http("", "new.example", "/shared", "shared body"));
      store.flush();
      assertEquals(31, Db.count(dir, "SELECT count(*) FROM bodies"));

      IllegalStateException current = assertThrows(IllegalStateException.class,
          () -> store.sessions().delete(store.sessions().currentId()));
      assertTrue(current.getMessage().contains("start another one"));

      assertTrue(store.sessions().delete(old));
      assertTrue(store.sessions().find(old).isEmpty(), "gone from the list at once");
      assertEquals(0, store.query(new FlowQuery(old, null, null, null, 10, 0)).total());
      store.flush();
      assertEquals(1, store.query(FlowQuery.all()).total());
      assertEquals(1, store.query(new FlowQuery(null, null, null, "shared", 10, 0)).total());
      assertFalse(store.sessions().delete(old), "deleting twice finds nothing");
      assertEquals(List.of("new"), store.sessions().list().stream().map(StoredSession::name)
          .toList());
    }
    assertEquals(1, Db.count(dir, "SELECT count(*) FROM flows"));
    assertEquals(1, Db.count(dir, "SELECT count(*) FROM flow_details"));
    assertEquals(1, Db.count(dir, "SELECT count(*) FROM bodies"), "the shared body stays");
    assertEquals(1, Db.count(dir, "SELECT refs FROM bodies"));
    assertEquals(1, Db.count(dir, "SELECT count(*) FROM sessions"));
  }

  @Test
  void theNameOfADeletedSessionCanBeUsedAgainAtOnce() {
    try (SqliteFlowStore store = SqliteFlowStore.open(dir,
        StoreOptions.defaults().withSessionName("lab"))) {
      String first = store.sessions().currentId();
      for (int i = 0; i < SessionDeleter.CHUNK * 2; i++) {
        store.add(Flows.http("", "old.example", "/" + i, "body " + i));
      }
      store.sessions().start("other");
      store.sessions().delete(first);
      StoredSession again = store.sessions().start("lab");
      assertNotEquals(first, again.id(), "a new session, not the deleted one");
      store.flush();
      assertEquals(0, again.flowCount());
    }
  }

  @Test
  void aDeletionInterruptedByARestartIsFinishedOnTheNextOpen() {
    String old;
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      old = store.sessions().currentId();
      for (int i = 0; i < SessionDeleter.CHUNK * 3; i++) {
        store.add(Flows.http("", "old.example", "/" + i, "body " + i));
      }
      store.sessions().start("next");
      store.flush();
      store.sessions().delete(old);
    }
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      assertTrue(store.sessions().find(old).isEmpty());
      store.flush();
      assertEquals(0, store.query(FlowQuery.all()).total());
    }
    assertEquals(0, Db.count(dir, "SELECT count(*) FROM flows"));
    assertEquals(0, Db.count(dir, "SELECT count(*) FROM bodies"));
  }
}
