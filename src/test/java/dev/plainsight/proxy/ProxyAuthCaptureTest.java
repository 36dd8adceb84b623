package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.plainsight.Options;
import dev.plainsight.Plainsight;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --proxy-auth} end to end: real curl and JDK clients, real origins, a real Plainsight. */
class ProxyAuthCaptureTest {
  static final String ROOM = "tulip-7";

  @TempDir static Path dir;
  static TestPki pki;
  static OriginServer https;
  static HttpServer headerEcho;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create("Test Origin CA");
    https = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
    headerEcho = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    headerEcho.createContext("/headers", ex -> {
      StringBuilder names = new StringBuilder();
      ex.getRequestHeaders().forEach((name, values) ->
          names.append(name.toLowerCase()).append(": ").append(String.join(",", values))
              .append('\n'));
      byte[] body = names.toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    headerEcho.start();
    plainsight = RunningPlainsight.start(dir, Options.builder(0, 0,
            dir.resolve("ca"), dir.resolve("data"))
        .passthrough(List.of("localhost"))
        .upstreamCaFiles(List.of(pki.writeCaPem(dir)))
        .roomPassword(ROOM).build());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    https.close();
    headerEcho.stop(0);
  }

  private static String headersUrl() {
    return "http://127.0.0.1:" + headerEcho.getAddress().getPort() + "/headers?id="
        + UUID.randomUUID();
  }

  private static List<String> curl(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-s", "-x", plainsight.proxyUrl()));
    all.addAll(List.of(args));
    Curl.Result result = Curl.run(all.toArray(String[]::new));
    return List.of(String.valueOf(result.exitCode()), result.stdout(), result.stderr());
  }

  @Test
  void aRequestWithoutCredentialsGets407WithABasicChallengeAndLeavesNoFlow() throws Exception {
    String url = headersUrl();
    List<String> out = curl("-i", url);
    assertTrue(out.get(1).startsWith("HTTP/1.1 407"), out.toString());
    assertTrue(out.get(1).toLowerCase().contains("proxy-authenticate: basic realm=\"plainsight\""),
        out.get(1));
    plainsight.app().store().flush();
    assertTrue(plainsight.app().store().query(dev.plainsight.flow.FlowQuery.all()).flows()
        .stream().noneMatch(f -> url.equals(f.url())), "a challenge is not a flow");
  }

  @Test
  void aConnectWithoutCredentialsGets407() throws Exception {
    List<String> out = curl("-o", "/dev/null", "-w", "%{http_connect}",
        "--cacert", plainsight.caPem().toString(), https.url("/hello"));
    assertEquals("407", out.get(1), out.toString());
  }

  @Test
  void aWrongRoomPasswordGets407AndAnErrorFlowThatNamesNoPassword() throws Exception {
    String url = headersUrl();
    List<String> out = curl("-o", "/dev/null", "-w", "%{http_code}",
        "--proxy-user", "mallory:guess-123", url);
    assertEquals("407", out.get(1), out.toString());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertEquals(407, flow.status());
    assertNull(flow.participant(), "unproven names tag nothing");
    assertTrue(flow.error().contains("wrong room password"), flow.error());
    assertFalse(flow.error().contains("guess-123"), flow.error());
  }

  @Test
  void aReplayFromTheDashboardSignsInAsTheTrainer() throws Exception {
    String url = headersUrl();
    curl("--proxy-user", "alice:" + ROOM, url);
    Flow original = plainsight.awaitFlow(f -> url.equals(f.url()) && f.status() != null);

    RunningPlainsight.ApiResponse answer = plainsight.api("POST",
        "/api/flows/" + original.id() + "/replay", null);

    assertEquals(201, answer.status(), answer.text());
    assertEquals(200, answer.json().get("status").asInt(), answer.text());
    Flow replayed = plainsight.app().store().find(answer.json().get("flow").asLong()).orElseThrow();
    assertNull(replayed.participant(), "a replay is the trainer's and tags no participant");
    assertFalse(new String(replayed.response().body().captured(), StandardCharsets.UTF_8)
        .contains("proxy-authorization"), "the trainer's credentials stay with the proxy");
  }

  @Test
  void theTrainersNameInAnySpellingGets407AndAnErrorFlow() throws Exception {
    for (String name : List.of("trainer", "Trainer", " TRAINER ", "\uff54rainer", "tr\u0430iner",
        "tra\u00efner")) {
      String url = headersUrl();
      List<String> out = curl("-o", "/dev/null", "-w", "%{http_code}",
          "--proxy-user", name + ":" + ROOM, url);
      assertEquals("407", out.get(1), name + ": " + out);
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind(), name);
      assertNull(flow.participant(), name);
      assertTrue(flow.error().contains("reserved for the trainer"), flow.error());
    }
    String url = headersUrl();
    assertEquals("0", curl("--proxy-user", "trainee:" + ROOM, url).get(0), "a near name is fine");
  }

  @Test
  void aParticipantNamedLikeTheTrainerNeverCollectsTheTrainersReplays() throws Exception {
    String url = headersUrl();
    curl("--proxy-user", "bob:" + ROOM, url);
    Flow bobs = plainsight.awaitFlow(f -> url.equals(f.url()) && f.status() != null);
    RunningPlainsight.ApiResponse replay = plainsight.api("POST",
        "/api/flows/" + bobs.id() + "/replay", null);
    assertEquals(201, replay.status(), replay.text());
    long replayed = replay.json().get("flow").asLong();

    RunningPlainsight.ApiResponse link = plainsight.api("POST", "/api/participants/trainer/link",
        null);
    assertEquals(400, link.status(), "no link is made for the trainer's name: " + link.text());
    RunningPlainsight.ApiResponse asTrainer = plainsight.api(
        "/api/flows?participant=trainer&limit=1000");
    assertTrue(asTrainer.json().get("flows").findValues("id").stream()
        .noneMatch(id -> id.asLong() == replayed), "the replay is tagged with no participant");
    assertTrue(plainsight.api("/api/participants").json().findValues("name").stream()
        .noneMatch(n -> n.asText().equalsIgnoreCase("trainer")), "the trainer is no participant");
  }

  @Test
  void anEmptyUserNameGets407() throws Exception {
    List<String> out = curl("-o", "/dev/null", "-w", "%{http_code}",
        "--proxy-user", "  :" + ROOM, headersUrl());
    assertEquals("407", out.get(1), out.toString());
  }

  @Test
  void plainHttpIsTaggedAndTheOriginNeverSeesTheProxyCredentials() throws Exception {
    String url = headersUrl();
    List<String> out = curl("--proxy-user", "alice:" + ROOM, url);
    assertEquals("0", out.get(0), out.toString());
    assertFalse(out.get(1).contains("proxy-authorization"), "origin saw: " + out.get(1));
    assertTrue(out.get(1).contains("host: "), out.get(1));

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
    assertEquals("alice", flow.participant());
    assertTrue(flow.request().headers().stream()
        .noneMatch(h -> h.name().equalsIgnoreCase("Proxy-Authorization")),
        "no flow shows the room password: " + flow.request().headers());
  }

  @Test
  void interceptedHttpsIsTaggedWithTheNameGivenOnTheConnect() throws Exception {
    String url = https.url("/hello?who=bob&id=" + UUID.randomUUID());
    List<String> out = curl("--proxy-user", "bob:" + ROOM, "--cacert",
        plainsight.caPem().toString(), url);
    assertEquals("hello from the origin\n", out.get(1), out.toString());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.HTTPS_DECRYPTED, flow.kind());
    assertEquals("bob", flow.participant());
  }

  @Test
  void theJdkClientAuthenticatesItsConnectAndIsTagged() throws Exception {
    String url = https.url("/hello?who=carol&id=" + UUID.randomUUID());
    HttpResponse<String> response = plainsight.clientTrustingPlainsight().send(
        HttpRequest.newBuilder(URI.create(url)).header("Proxy-Authorization", basic("carol"))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("carol", plainsight.awaitFlow(f -> url.equals(f.url())).participant());
  }

  @Test
  void aTunnelIsTaggedWithTheParticipant() throws Exception {
    String url = "https://localhost:" + https.port() + "/hello?tunnel=" + UUID.randomUUID();
    List<String> out = curl("--proxy-user", "dave:" + ROOM, "--cacert",
        pki.writeCaPem(dir).toString(), url);
    assertEquals("hello from the origin\n", out.get(1), out.toString());
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
        && "dave".equals(f.participant()));
    assertEquals("localhost", flow.host());
  }

  @Test
  void aRefusedCertificateIsTaggedWithTheParticipant() throws Exception {
    List<String> out = curl("--proxy-user", "erin:" + ROOM, "--cacert",
        pki.writeCaPem(dir).toString(), https.url("/hello?refuse"));
    assertFalse(out.get(0).equals("0"), "curl must refuse the forged certificate: " + out);
    Flow flow = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
        && "erin".equals(f.participant()));
    assertEquals(https.port(), flow.port());
  }

  @Test
  void theMagicHostAnswersWithoutCredentials() throws Exception {
    List<String> out = curl("-o", "/dev/null", "-w", "%{http_code}", "http://plainsight/ca.pem");
    assertEquals("200", out.get(1), out.toString());
  }

  @Test
  void theFlowsApiFiltersByParticipant() throws Exception {
    String forFrank = headersUrl();
    String forGrace = headersUrl();
    curl("--proxy-user", "frank:" + ROOM, forFrank);
    curl("--proxy-user", "grace:" + ROOM, forGrace);
    plainsight.awaitFlow(f -> forGrace.equals(f.url()));
    plainsight.awaitFlow(f -> forFrank.equals(f.url()));

    JsonNode frank = plainsight.api("/api/flows?participant=frank").json();
    assertEquals(1, frank.get("total").asInt(), frank.toString());
    assertEquals(forFrank, frank.get("flows").get(0).get("url").asText());
    assertEquals("frank", frank.get("flows").get(0).get("participant").asText());
    JsonNode everyone = plainsight.api("/api/participants").json();
    assertTrue(everyone.toString().contains("\"name\":\"frank\""), everyone.toString());
    assertTrue(everyone.toString().contains("\"name\":\"grace\""), everyone.toString());
  }

  private static String basic(String name) {
    return "Basic " + Base64.getEncoder().encodeToString((name + ":" + ROOM)
        .getBytes(StandardCharsets.UTF_8));
  }
}
