package dev.plainsight;

import dev.plainsight.demo.DemoSite;
import dev.plainsight.demo.DemoStep;
import dev.plainsight.demo.DemoStory;
import dev.plainsight.store.SqliteSessions;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code --demo} does once Plainsight runs: offers the demo site's CA to the room, drives the
 * story into a new session "Demo" ("Demo (2)" on the next launch: never appended to an earlier
 * run's), waits until the story's last flows are filed, then makes the launch's live session
 * current again, so the room's own traffic never lands in the demo's session.
 */
public final class DemoLaunch {
  public static final String SESSION = "Demo";
  private static final long QUIET_MS = 400;
  private static final long MAX_WAIT_MS = 5_000;

  private DemoLaunch() {}

  /** The story's steps, the session (id, name) that holds them, and the one capture went back to. */
  public record Result(List<DemoStep> steps, String demoId, String demoName, String liveId,
      String liveName) {}

  /** Runs the story (behind {@code --proxy-auth} when {@code roomPassword} is not null). */
  public static Result run(Plainsight plainsight, DemoSite site, String roomPassword) {
    plainsight.room().offerDemoCa(site.demoCaCertificate());
    SqliteSessions sessions = plainsight.sessions();
    String live = sessions.currentId();
    AtomicLong lastAdded = new AtomicLong(System.nanoTime());
    plainsight.store().addListener(flow -> lastAdded.set(System.nanoTime()));
    var demo = sessions.startNew(SESSION);
    try {
      List<DemoStep> steps = DemoStory.run(plainsight.proxyAddress(),
          plainsight.ca().certificate(), site, roomPassword == null ? null
              : new DemoStory.ProxyLogin(DemoStory.DEMO_PARTICIPANT, roomPassword));
      awaitQuiet(lastAdded);
      var back = sessions.resume(live);
      return new Result(steps, demo.id(), demo.name(), back.id(), back.name());
    } finally {
      sessions.resume(live);
    }
  }

  /** Until no flow was added for {@value #QUIET_MS} ms (at most {@value #MAX_WAIT_MS} ms). */
  private static void awaitQuiet(AtomicLong lastAdded) {
    long deadline = System.nanoTime() + MAX_WAIT_MS * 1_000_000;
    while (System.nanoTime() < deadline
        && System.nanoTime() - lastAdded.get() < QUIET_MS * 1_000_000) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
