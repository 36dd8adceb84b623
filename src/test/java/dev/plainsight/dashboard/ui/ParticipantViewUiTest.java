package dev.plainsight.dashboard.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.Plainsight;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The participant link in headless Chromium: only their flows, read-only, no Control. */
class ParticipantViewUiTest {
  @TempDir static Path dir;
  static RunningPlainsight plainsight;
  static Browser browser;
  static Flow alice;
  static Flow bob;

  @BeforeAll
  static void start() {
    plainsight = RunningPlainsight.start(dir, Options.builder(0, 0,
        dir.resolve("ca"), dir.resolve("data")).roomPassword("pw").build());
    alice = plainsight.app().store().add(flow("alice", "/alice-page").build());
    bob = plainsight.app().store().add(flow("bob", "/bob-page").build());
    browser = Browser.shared();
  }

  /** Leaves the page first: its live feed would retry a closed Plainsight in later tests. */
  @AfterAll
  static void stop() {
    browser.open("about:blank");
    browser.severeConsoleMessages();
    plainsight.close();
  }

  private static FlowBuilder flow(String participant, String path) {
    return new FlowBuilder().kind(FlowKind.HTTP).client("10.0.0.7").method("GET")
        .url("http://demo.test" + path).host("demo.test").port(80).status(200)
        .participant(participant);
  }

  @Test
  void aParticipantLinkShowsOnlyTheirOwnFlowsAndNoControl() {
    String url = plainsight.api("POST", "/api/participants/alice/link", null).json()
        .get("url").asText();
    browser.open(url);
    browser.await("document.querySelector('#flow-row-" + alice.id() + "')");
    assertTrue(browser.jsText("document.getElementById('participant-badge').textContent")
        .contains("alice"));
    assertEquals(0L, browser.jsNumber("document.querySelectorAll('#flow-row-" + bob.id()
        + "').length"));
    assertEquals("alice (10.0.0.7)", browser.jsText("document.querySelector('#flow-row-"
        + alice.id() + " .c-client').textContent"));
    assertEquals("none", browser.jsText("getComputedStyle(document.querySelector("
        + "'nav.views a[data-view=control]')).display"));
    assertEquals(List.of(), browser.severeConsoleMessages());
  }

  @Test
  void theTrainerSeesEveryParticipantAndCanMakeTheirLinks() {
    browser.open(plainsight.app().dashboardUrl() + "#/control");
    browser.await("document.querySelector('#participant-table tr[data-participant=bob]')");
    browser.find("#participant-table tr[data-participant=bob] button.copy-link").click();
    browser.await("document.querySelector('#participant-table tr[data-participant=bob] input')"
        + ".value.includes('/?token=p.')");
    browser.open(plainsight.app().dashboardUrl());
    browser.await("document.querySelector('#flow-row-" + bob.id() + "')"
        + " && document.querySelector('#flow-row-" + alice.id() + "')");
    assertEquals(List.of(), browser.severeConsoleMessages());
  }
}
