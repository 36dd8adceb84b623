package dev.plainsight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.dashboard.TrainerToken;
import dev.plainsight.demo.DemoSite;
import dev.plainsight.demo.DemoStep;
import dev.plainsight.flow.Flow;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Plainsight instances, stopped and started on one data directory: the trainer's token and
 * the sessions survive, {@code --new-token} changes the token, a bad token file is replaced and
 * said, a launch that captured nothing leaves no session, and each demo run writes a session of
 * its own while the room's traffic after it goes to the live session.
 */
class RestartKeepsTheRoomTest {
  @TempDir Path dir;

  private Options.Builder options() {
    return Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"));
  }

  @Test
  void aRestartKeepsTheTokenAndTheSessionsAndTheOldDashboardUrlStillWorks() throws Exception {
    String token;
    List<String> sessions;
    try (OriginServer origin = OriginServer.http();
        RunningPlainsight first = RunningPlainsight.start(dir, options().build())) {
      token = first.app().token();
      assertTrue(first.app().tokenNotice().startsWith("new"), first.app().tokenNotice());
      capture(first, origin.url("/hello"));
      sessions = ids(first);
    }
    Path file = dir.resolve("data").resolve(TrainerToken.FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (RunningPlainsight second = RunningPlainsight.start(dir, options().build())) {
      assertEquals(token, second.app().token(), "the bookmarked URL's token");
      assertTrue(second.app().dashboardUrl().endsWith("?token=" + token));
      assertTrue(second.app().tokenNotice().startsWith("kept"), second.app().tokenNotice());
      assertEquals(200, second.api("/api/sessions").status());
      List<String> now = ids(second);
      assertTrue(now.containsAll(sessions), "the earlier sessions are still there: " + now);
      assertEquals(sessions.size() + 1, now.size(), "plus this launch's current one");
    }
  }

  @Test
  void newTokenMakesANewOneAndSaysSo() throws Exception {
    String token;
    try (RunningPlainsight first = RunningPlainsight.start(dir, options().build())) {
      token = first.app().token();
    }
    String renewed;
    try (RunningPlainsight second = RunningPlainsight.start(dir, options().newToken(true).build())) {
      renewed = second.app().token();
      assertNotEquals(token, renewed);
      assertTrue(second.app().tokenNotice().contains("--new-token"), second.app().tokenNotice());
    }
    try (RunningPlainsight third = RunningPlainsight.start(dir, options().build())) {
      assertEquals(renewed, third.app().token(), "the new token is the one kept from then on");
    }
  }

  @Test
  void aMalformedOrExposedTokenFileIsReplacedAndSaid() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path file = data.resolve(TrainerToken.FILE);
    Files.writeString(file, "not a token\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    String replaced = TrainerToken.loadOrCreate(data, false).notice();
    assertTrue(replaced.contains("did not hold a token"), replaced);
    String token = Files.readString(file).strip();
    assertTrue(token.matches("[0-9a-f]{48}"), token);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    TrainerToken fresh = TrainerToken.loadOrCreate(data, false);
    assertTrue(fresh.notice().contains("readable by group or others"), fresh.notice());
    assertNotEquals(token, fresh.value(), "a token others could read is not reused");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(1, fresh.notice().lines().count());
  }

  @Test
  void aTokenFileThatCannotBeReadStopsTheStartWithOneLine() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    // a directory in its place, owner-only and not empty: it cannot be read as a file (a file
    // of mode 000 would do, but the tests may run as root, who reads it anyway)
    Path notAFile = Files.createDirectories(data.resolve(TrainerToken.FILE));
    Files.writeString(notAFile.resolve("something"), "x");
    Files.setPosixFilePermissions(notAFile, PosixFilePermissions.fromString("rwx------"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TrainerToken.loadOrCreate(data, false));
    assertTrue(e.getMessage().contains(TrainerToken.FILE) && !e.getMessage().contains("\n"),
        e.getMessage());
  }

  @Test
  void launchesThatCaptureNothingLeaveNoSessionBehind() throws Exception {
    for (int launch = 0; launch < 3; launch++) {
      try (RunningPlainsight plainsight = RunningPlainsight.start(dir, options().build())) {
        var sessions = plainsight.app().sessions().list();
        assertEquals(1, sessions.size(), "only the current session: " + sessions);
        assertTrue(sessions.get(0).current());
      }
    }
  }

  @Test
  void eachDemoRunWritesItsOwnSessionAndLaterTrafficGoesToTheLiveOne() throws Exception {
    String firstDemo;
    try (DemoSite site = DemoSite.start(dir.resolve("ca").resolve("demo"));
        OriginServer origin = OriginServer.http()) {
      try (RunningPlainsight first = startWithDemo(site)) {
        DemoLaunch.Result run = DemoLaunch.run(first.app(), site, null);
        assertTrue(run.steps().stream().allMatch(DemoStep::asExpected), run.steps().toString());
        firstDemo = run.demoId();
        assertEquals("Demo", run.demoName());
        assertEquals(first.app().sessions().currentId(), run.liveId());
        assertNotEquals(firstDemo, run.liveId());
        Flow live = capture(first, origin.url("/echo?after=story"));
        assertEquals(run.liveId(), live.session(), "the room's traffic after the story");
        long storyFlows = first.app().sessions().find(firstDemo).orElseThrow().flowCount();
        assertTrue(storyFlows >= run.steps().size(), "the story's flows: " + storyFlows);
      }
      try (RunningPlainsight second = startWithDemo(site)) {
        long before = second.app().sessions().find(firstDemo).orElseThrow().flowCount();
        DemoLaunch.Result run = DemoLaunch.run(second.app(), site, null);
        assertNotEquals(firstDemo, run.demoId(), "a fresh demo session");
        assertEquals("Demo (2)", run.demoName());
        assertEquals(before, second.app().sessions().find(firstDemo).orElseThrow().flowCount(),
            "the first demo's session is not appended to");
        Flow live = capture(second, origin.url("/echo?after=second-story"));
        assertEquals(run.liveId(), live.session());
        assertNotEquals(run.demoId(), live.session());
      }
    }
  }

  private RunningPlainsight startWithDemo(DemoSite site) {
    return RunningPlainsight.start(dir, Main.withDemoSite(options().demo(true).build(), site));
  }

  private static Flow capture(RunningPlainsight plainsight, String url) throws Exception {
    HttpResponse<String> response = plainsight.client(null).send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return plainsight.awaitFlow(f -> url.equals(f.url()));
  }

  private static List<String> ids(RunningPlainsight plainsight) {
    return plainsight.app().sessions().list().stream().map(s -> s.id()).toList();
  }
}
