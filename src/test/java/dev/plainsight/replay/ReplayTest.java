package dev.plainsight.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying a captured request through the proxy, and exporting it as curl. */
class ReplayTest {
  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer http;
  static OriginServer https;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Replay CA");
    http = OriginServer.http();
    https = OriginServer.https(pki.issue("127.0.0.1").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    http.close();
    https.close();
  }

  static Flow post(String url, String body) throws Exception {
    plainsight.client(null).send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.discarding());
    return plainsight.awaitFlow(f -> url.equals(f.url()) && f.response() != null
        && Replayer.replayOf(f).isEmpty());
  }

  static Flow stored(JsonNode answer) {
    return plainsight.app().store().find(answer.get("flow").asLong()).orElseThrow();
  }

  static String responseText(Flow flow) {
    return new String(flow.response().body().captured(), StandardCharsets.UTF_8);
  }

  @Test
  void aReplayIsCapturedAsANewFlowWithTheSameResponse() throws Exception {
    Flow original = post(http.url("/echo?replay"), "same again");
    RunningPlainsight.ApiResponse answer = plainsight.api("POST",
        "/api/flows/" + original.id() + "/replay", null);

    assertEquals(201, answer.status(), answer.text());
    assertEquals(200, answer.json().get("status").asInt());
    Flow replayed = stored(answer.json());
    assertNotEquals(original.id(), replayed.id());
    assertEquals(original.url(), replayed.url());
    assertEquals("same again", responseText(replayed));
    assertEquals(original.id(), plainsight.api("/api/flows/" + replayed.id()).json()
        .get("replayOf").asLong(), "the new flow names the one it replays");
  }

  @Test
  void anEditedReplaySendsTheEditedRequest() throws Exception {
    Flow original = post(http.url("/echo?edit"), "amount=10");
    RunningPlainsight.ApiResponse answer = plainsight.api("POST",
        "/api/flows/" + original.id() + "/replay",
        "{\"method\":\"PUT\",\"body\":\"amount=1000\",\"headers\":[{\"name\":\"X-Edited\",\"value\":\"yes\"}]}");

    assertEquals(201, answer.status(), answer.text());
    Flow replayed = stored(answer.json());
    assertEquals("PUT", replayed.method());
    assertEquals("amount=1000", responseText(replayed));
    assertTrue(replayed.request().headers().stream().anyMatch(h -> h.name().equals("X-Edited")));
  }

  @Test
  void anHttpsReplayGoesThroughAConnectAndIsDecrypted() throws Exception {
    String url = https.url("/hello?replay");
    plainsight.clientTrustingPlainsight().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.discarding());
    Flow original = plainsight.awaitFlow(f -> url.equals(f.url()));
    RunningPlainsight.ApiResponse answer = plainsight.api("POST",
        "/api/flows/" + original.id() + "/replay", "{}");

    assertEquals(201, answer.status(), answer.text());
    Flow replayed = stored(answer.json());
    assertEquals(FlowKind.HTTPS_DECRYPTED, replayed.kind());
    assertEquals("hello from the origin\n", responseText(replayed));
  }

  @Test
  void aBadEditIsA400AndAFlowWithoutARequestIsA409() throws Exception {
    Flow original = post(http.url("/echo?bad"), "x");
    assertEquals(400, plainsight.api("POST", "/api/flows/" + original.id() + "/replay",
        "{\"url\":\"ftp://elsewhere/\"}").status());
    assertEquals(404, plainsight.api("POST", "/api/flows/999999/replay", null).status());
  }

  @Test
  void theCopiedCurlCommandGetsTheSameResponseFromTheOrigin() throws Exception {
    String body = "it's \"quoted\" $HOME `id`\nsecond line\\";
    Flow original = post(http.url("/echo?curl"), body);
    RunningPlainsight.ApiResponse command = plainsight.api("/api/flows/" + original.id() + "/curl");

    assertEquals(200, command.status());
    byte[] output = CurlCommandTest.shell(command.text().strip() + " -s");
    assertEquals(responseText(original), new String(output, StandardCharsets.UTF_8));
    assertEquals(body, responseText(original));
  }

  @Test
  void rulesSurviveARestart(@TempDir Path own) {
    String rules = "[{\"name\":\"banner\",\"enabled\":false,\"host\":\"*.example\",\"phase\":\"response\","
        + "\"part\":\"body\",\"match\":\"<body>\",\"replace\":\"<body>changed\",\"regex\":false}]";
    Options config = Options.builder(0, 0, own.resolve("ca"), own.resolve("data")).build();
    try (RunningPlainsight first = RunningPlainsight.start(own, config)) {
      assertEquals(200, first.api("PUT", "/api/rules", rules).status());
    }
    try (RunningPlainsight second = RunningPlainsight.start(own, config)) {
      JsonNode kept = second.api("/api/rules").json();
      assertEquals(1, kept.size());
      assertEquals("banner", kept.get(0).get("name").asText());
      assertEquals(false, kept.get(0).get("enabled").asBoolean());
      assertEquals("<body>changed", kept.get(0).get("replace").asText());
    }
  }
}
