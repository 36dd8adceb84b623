package dev.plainsight.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.Plainsight;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --demo --proxy-auth}: the story still runs, every flow tagged with the demo's name. */
class DemoBehindProxyAuthTest {
  @TempDir Path dir;

  @Test
  void theStoryRunsWithCredentialsAndEveryFlowIsTaggedDemo() throws Exception {
    try (DemoSite site = DemoSite.start(dir.resolve("ca").resolve("demo"));
        Plainsight plainsight = Plainsight.start(Options.builder(0, 0,
                dir.resolve("ca"), dir.resolve("data"))
            .passthrough(List.of("localhost"))
            .upstreamCaFiles(List.of(site.demoCaPem()))
            .roomPassword("room-pw").build())) {
      String demo = plainsight.sessions().start("Demo").id();
      List<DemoStep> steps = DemoStory.run(plainsight.proxyAddress(),
          plainsight.ca().certificate(), site,
          new DemoStory.ProxyLogin(DemoStory.DEMO_PARTICIPANT, "room-pw"));
      for (DemoStep step : steps) {
        assertTrue(step.asExpected(), step.describe());
      }
      Set<FlowKind> kinds = Set.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<Flow> flows = List.of();
      while (System.nanoTime() < deadline && !kinds.containsAll(Set.of(FlowKind.HTTP,
          FlowKind.HTTPS_TUNNEL, FlowKind.HTTPS_DECRYPTED, FlowKind.HTTPS_REJECTED))) {
        Thread.sleep(50);
        flows = plainsight.store().query(new FlowQuery(demo, null, null, null, 500, 0)).flows();
        kinds = flows.stream().map(Flow::kind).collect(Collectors.toSet());
      }
      assertTrue(kinds.containsAll(Set.of(FlowKind.HTTP, FlowKind.HTTPS_TUNNEL,
          FlowKind.HTTPS_DECRYPTED, FlowKind.HTTPS_REJECTED)), kinds.toString());
      for (Flow flow : flows) {
        assertEquals(DemoStory.DEMO_PARTICIPANT, flow.participant(),
            flow.kind() + " " + flow.url() + " " + flow.error());
      }
    }
  }
}
