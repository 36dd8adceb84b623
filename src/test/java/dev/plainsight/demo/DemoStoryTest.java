package dev.plainsight.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.Plainsight;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo story through a real Plainsight, wired as {@code --demo} wires it: the demo CA
 * trusted upstream, localhost passed through, the session switched to "Demo" before the story.
 */
class DemoStoryTest {
  @TempDir static Path dir;
  static DemoSite site;
  static Plainsight plainsight;
  static List<DemoStep> steps;

  @BeforeAll
  static void runTheStory() throws Exception {
    site = DemoSite.start(dir.resolve("ca").resolve("demo"));
    plainsight = start(dir, List.of("localhost"));
    plainsight.sessions().start("Demo");
    steps = DemoStory.run(plainsight.proxyAddress(), plainsight.ca().certificate(), site);
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    site.close();
  }

  @Test
  void everyStepGoesAsTheStoryExpects() {
    assertEquals(List.of("a", "b", "c", "d", "e"), steps.stream().map(DemoStep::label).toList());
    for (DemoStep step : steps) {
      assertTrue(step.asExpected(), step.describe());
    }
    String guide = DemoStory.guide(steps);
    assertFalse(guide.contains("NOT AS EXPECTED"), guide);
    assertTrue(guide.contains("(d) HTTPS, CA not trusted: the client refuses"), guide);
  }

  @Test
  void plainHttpLeavesThePasswordAndTheSessionCookieInClear() {
    String login = site.httpUrl("/login");
    Flow post = awaitFlow(f -> f.kind() == FlowKind.HTTP && login.equals(f.url()) && "POST".equals(f.method()));
    assertEquals(DemoStory.FORM, body(post));
    assertTrue(post.response().headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Set-Cookie")
        && h.value().startsWith(DemoSite.SESSION_COOKIE + "=")), post.response().headers().toString());

    Flow profile = awaitFlow(f -> f.kind() == FlowKind.HTTP && site.httpUrl("/api/profile").equals(f.url()));
    assertTrue(profile.request().headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Cookie")
        && h.value().contains(DemoSite.SESSION_COOKIE + "=")), "the cookie goes back in clear");
  }

  @Test
  void httpsPassedThroughLeavesOnlyATunnelToLocalhost() {
    Flow tunnel = awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL && "localhost".equals(f.host()));
    assertEquals(site.httpsPort(), tunnel.port());
    assertNull(tunnel.request(), "no request is captured from a tunnel");
    assertNull(tunnel.response());
    assertTrue(tunnel.requestBytes() > DemoStory.FORM.length(), "but its size is: " + tunnel.requestBytes());
    assertEquals("localhost", tunnel.tls().sni());
  }

  @Test
  void httpsInterceptedShowsThePasswordAgainAndBothIssuers() {
    String login = site.httpsUrl("127.0.0.1", "/login");
    Flow post = awaitFlow(f -> f.kind() == FlowKind.HTTPS_DECRYPTED && login.equals(f.url()));
    assertEquals("POST", post.method());
    assertEquals(200, post.status());
    assertEquals(DemoStory.FORM, body(post));
    assertTrue(post.tls().forgedLeaf().issuer().contains("Plainsight CA"), post.tls().forgedLeaf().issuer());
    assertTrue(post.tls().upstreamChain().get(0).issuer().contains(DemoCa.CA_NAME),
        post.tls().upstreamChain().get(0).issuer());
  }

  @Test
  void aClientNotTrustingTheCaRefusesAndSendsNothing() {
    Flow refused = awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED && "127.0.0.1".equals(f.host()));
    assertEquals(site.httpsPort(), refused.port());
    assertNull(refused.request());
    assertNotNull(refused.tls().alert(), "the flow names how the client refused");
  }

  @Test
  void theChatUpgradeIsDecrypted() {
    String chat = site.httpsUrl("127.0.0.1", "/chat");
    Flow upgrade = awaitFlow(f -> f.kind() == FlowKind.HTTPS_DECRYPTED && chat.equals(f.url()));
    assertEquals(101, upgrade.status());
  }

  @Test
  void everyFlowOfTheStoryIsFiledUnderTheDemoSession() {
    awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL);
    List<Flow> flows = plainsight.store().query(new FlowQuery(null, null, null, null, 1000, 0)).flows();
    assertTrue(flows.size() >= 6, flows.size() + " flows");
    String demo = plainsight.sessions().find("Demo").orElseThrow().id();
    assertTrue(flows.stream().allMatch(f -> demo.equals(f.session())),
        flows.stream().map(Flow::session).distinct().toList().toString());
  }

  @Test
  void withoutLocalhostOnThePassthroughListStepBSaysWhatToFix() throws Exception {
    try (Plainsight interceptsAll = start(dir.resolve("intercept-all"), List.of())) {
      List<DemoStep> story = DemoStory.run(interceptsAll.proxyAddress(), interceptsAll.ca().certificate(), site);
      DemoStep b = story.get(1);
      assertFalse(b.asExpected());
      assertTrue(b.outcome().contains("is localhost on the passthrough list?"), b.outcome());
      assertTrue(story.get(0).asExpected() && story.get(2).asExpected() && story.get(3).asExpected(),
          "the other steps still run");
    }
  }

  private static Plainsight start(Path home, List<String> passthrough) throws Exception {
    return Plainsight.start(Options.builder(0, 0, home.resolve("ca"), home.resolve("data"))
        .passthrough(passthrough)
        .upstreamCaFiles(List.of(site.demoCaPem())).build());
  }

  private static String body(Flow flow) {
    return new String(flow.request().body().captured(), StandardCharsets.UTF_8);
  }

  /** Waits (up to 10 s) for a stored flow to match; tunnels are stored when they close. */
  private static Flow awaitFlow(Predicate<Flow> match) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (Flow summary : plainsight.store().query(new FlowQuery(null, null, null, null, 300, 0)).flows()) {
        Flow whole = plainsight.store().find(summary.id()).orElse(summary);
        if (match.test(whole)) {
          return whole;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no matching flow within 10 s; flows: "
        + plainsight.store().query(FlowQuery.all()).flows().stream()
            .map(f -> f.kind().wire() + " " + f.method() + " " + f.url() + " " + f.error()).toList());
  }
}
