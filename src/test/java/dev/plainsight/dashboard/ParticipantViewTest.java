package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only participant link: a scoped token sees only its participant's flows, everywhere
 * (list, detail, bodies, live feed), and may change nothing.
 */
class ParticipantViewTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROOM = "maple-3";

  @TempDir static Path dir;
  static OriginServer origin;
  static RunningPlainsight plainsight;
  static String aliceToken;
  static Flow aliceFlow;
  static Flow bobFlow;

  @BeforeAll
  static void start() throws Exception {
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, Options.builder(0, 0,
        dir.resolve("ca"), dir.resolve("data")).roomPassword(ROOM).build());
    aliceFlow = capture("alice", origin.url("/echo?who=alice"));
    bobFlow = capture("bob", origin.url("/echo?who=bob"));
    RunningPlainsight.ApiResponse link = plainsight.api("POST", "/api/participants/alice/link", null);
    assertEquals(200, link.status(), link.text());
    aliceToken = link.json().get("token").asText();
    assertTrue(link.json().get("url").asText().endsWith("/?token=" + aliceToken), link.text());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  private static Flow capture(String participant, String url) throws Exception {
    Curl.Result result = Curl.run("-s", "-x", plainsight.proxyUrl(), "--proxy-user",
        participant + ":" + ROOM, "--data", "secret of " + participant, url);
    assertEquals(0, result.exitCode(), result.stderr());
    return plainsight.awaitFlow(f -> url.equals(f.url()) && participant.equals(f.participant()));
  }

  private static HttpResponse<String> as(String token, String method, String path)
      throws Exception {
    return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainsight.app().dashboardPort()
                + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"passthrough\":[]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theFlowListShowsOnlyTheParticipantsOwnFlowsWhateverIsAsked() throws Exception {
    for (String query : new String[] {"", "?participant=bob", "?participant=", "?q=bob"}) {
      HttpResponse<String> response = as(aliceToken, "GET", "/api/flows" + query);
      assertEquals(200, response.statusCode(), response.body());
      JsonNode page = JSON.readTree(response.body());
      for (JsonNode flow : page.get("flows")) {
        assertEquals("alice", flow.get("participant").asText(), query + ": " + flow);
      }
      if (!query.contains("q=")) {
        assertEquals(plainsight.api("/api/flows?participant=alice").json().get("total").asInt(),
            page.get("total").asInt(), query + ": " + page);
      }
    }
  }

  @Test
  void anotherParticipantsFlowAndBodiesAreNotFound() throws Exception {
    for (String path : new String[] {"", "/request/body", "/response/body"}) {
      assertEquals(404, as(aliceToken, "GET", "/api/flows/" + bobFlow.id() + path).statusCode(),
          path);
      assertEquals(200, as(aliceToken, "GET", "/api/flows/" + aliceFlow.id() + path).statusCode(),
          path);
    }
    assertEquals("secret of alice",
        as(aliceToken, "GET", "/api/flows/" + aliceFlow.id() + "/request/body").body());
  }

  @Test
  void aParticipantDownloadsTheCaptureOfTheirOwnClosedConnectionOnly() throws Exception {
    awaitClosed(aliceFlow.connection());
    HttpResponse<String> own = as(aliceToken, "GET", "/api/flows/" + aliceFlow.id() + "/pcap");
    assertEquals(200, own.statusCode(), own.body());
    assertTrue(own.body().startsWith("\n\r\r\n"), "a pcapng file (Section Header Block)");
    assertTrue(own.body().contains("secret of alice"), "alice's own request, in the clear");
    assertFalse(own.body().contains("secret of bob"), "and nobody else's");
    assertEquals(404, as(aliceToken, "GET", "/api/flows/" + bobFlow.id() + "/pcap").statusCode());
    assertEquals(403, as(aliceToken, "GET", "/api/sessions/"
        + plainsight.app().sessions().currentId() + "/pcap").statusCode());
  }

  @Test
  void aConnectionShowsAParticipantOnlyTheirOwnFlowsOnIt() throws Exception {
    // one kept-alive connection carrying a request of alice, then one of bob
    String first = origin.url("/echo?shared=alice");
    String second = origin.url("/echo?shared=bob");
    try (dev.plainsight.testing.RawProxyClient raw =
        dev.plainsight.testing.RawProxyClient.plain(plainsight.proxyPort())) {
      for (String[] request : new String[][] {{first, "alice"}, {second, "bob"}}) {
        String auth = java.util.Base64.getEncoder().encodeToString(
            (request[1] + ":" + ROOM).getBytes(StandardCharsets.UTF_8));
        raw.send("GET " + request[0] + " HTTP/1.1\r\nHost: " + URI.create(request[0]).getAuthority()
            + "\r\nProxy-Authorization: Basic " + auth + "\r\n\r\n");
        String head = raw.readHead();
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        raw.readBody(head, (data, offset, length) -> { });
      }
    }
    Flow alices = plainsight.awaitFlow(f -> first.equals(f.url()));
    Flow bobs = plainsight.awaitFlow(f -> second.equals(f.url()));
    assertEquals("alice", alices.participant());
    assertEquals("bob", bobs.participant());
    assertEquals(alices.connection(), bobs.connection(), "one connection");
    String path = "/api/connections/" + alices.connection();

    JsonNode trainer = plainsight.api(path).json();
    assertEquals(java.util.List.of(alices.id(), bobs.id()), ids(trainer.get("flows")));
    HttpResponse<String> alice = as(aliceToken, "GET", path);
    assertEquals(200, alice.statusCode(), alice.body());
    assertEquals(java.util.List.of(alices.id()), ids(JSON.readTree(alice.body()).get("flows")));

    assertEquals(404, as(aliceToken, "GET", "/api/connections/" + bobFlow.connection())
        .statusCode(), "a connection with none of alice's flows is not found");
    awaitClosed(alices.connection());
    assertEquals(403, as(aliceToken, "GET", "/api/flows/" + alices.id() + "/pcap").statusCode(),
        "the connection's bytes hold bob's request too: the capture is the trainer's");
    assertEquals(200, plainsight.api("/api/flows/" + alices.id() + "/pcap").status());
    assertEquals(200, plainsight.api("/api/connections/" + bobFlow.connection()).status());
  }

  private static void awaitClosed(long connection) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      RunningPlainsight.ApiResponse r = plainsight.api("/api/connections/" + connection);
      if (r.status() == 200 && !r.json().path("closedAt").isNull()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("connection " + connection + " did not close");
  }

  private static java.util.List<Long> ids(JsonNode array) {
    java.util.List<Long> ids = new java.util.ArrayList<>();
    array.forEach(id -> ids.add(id.asLong()));
    return ids;
  }

  @Test
  void everythingButTheReadsIsForbidden() throws Exception {
    String session = plainsight.app().sessions().list().get(0).id();
    String[][] refused = {
        {"GET", "/api/sessions"}, {"POST", "/api/sessions"}, {"PATCH", "/api/sessions/" + session},
        {"DELETE", "/api/sessions/" + session}, {"GET", "/api/sessions/" + session + "/har"},
        {"POST", "/api/sessions/import"}, {"GET", "/api/policy"}, {"PUT", "/api/policy"},
        {"GET", "/api/participants"}, {"POST", "/api/participants/alice/link"},
        {"POST", "/api/participants/bob/link"}, {"GET", "/api/stats"},
        {"POST", "/api/flows/" + aliceFlow.id() + "/replay"}};
    for (String[] call : refused) {
      HttpResponse<String> response = as(aliceToken, call[0], call[1]);
      assertEquals(403, response.statusCode(), call[0] + " " + call[1] + ": " + response.body());
    }
    assertEquals(1, plainsight.app().sessions().list().size(), "no session was started");
  }

  @Test
  void theDashboardLearnsItIsAParticipantView() throws Exception {
    JsonNode me = JSON.readTree(as(aliceToken, "GET", "/api/me").body());
    assertEquals("participant", me.get("role").asText());
    assertEquals("alice", me.get("participant").asText());
    JsonNode trainer = plainsight.api("/api/me").json();
    assertEquals("trainer", trainer.get("role").asText());
  }

  @Test
  void aTamperedOrForeignTokenIsRefused() throws Exception {
    String forged = aliceToken.substring(0, aliceToken.lastIndexOf('.') + 1) + "AAAA";
    assertEquals(401, as(forged, "GET", "/api/flows").statusCode());
    String bobName = "p." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("bob".getBytes(StandardCharsets.UTF_8));
    String swapped = bobName + aliceToken.substring(aliceToken.lastIndexOf('.'));
    assertEquals(401, as(swapped, "GET", "/api/flows").statusCode());
  }

  @Test
  void theTrainerCanFilterByParticipantAndListThem() throws Exception {
    JsonNode bob = plainsight.api("/api/flows?participant=bob").json();
    assertTrue(bob.get("total").asInt() >= 1, bob.toString());
    for (JsonNode flow : bob.get("flows")) {
      assertEquals("bob", flow.get("participant").asText(), flow.toString());
    }
    JsonNode detail = plainsight.api("/api/flows/" + bobFlow.id()).json();
    assertEquals("bob", detail.get("participant").asText());
    JsonNode seen = plainsight.api("/api/participants").json();
    assertEquals("alice", seen.get(0).get("name").asText(), seen.toString());
    assertEquals("bob", seen.get(1).get("name").asText(), seen.toString());
    assertTrue(seen.get(1).get("flows").asLong() >= 1, seen.toString());
  }

  @Test
  void aNameThatBreaksTheRuleGetsNoLink() {
    String tooLong = URLEncoder.encode("x".repeat(41), StandardCharsets.UTF_8);
    assertEquals(400, plainsight.api("POST", "/api/participants/" + tooLong + "/link", null)
        .status());
    String withSpace = URLEncoder.encode("Zoë Ünal", StandardCharsets.UTF_8).replace("+", "%20");
    RunningPlainsight.ApiResponse zoe =
        plainsight.api("POST", "/api/participants/" + withSpace + "/link", null);
    assertEquals(200, zoe.status(), zoe.text());
    assertEquals("Zoë Ünal", zoe.json().get("participant").asText());
  }

  @Test
  void theLiveFeedOfALinkCarriesOnlyItsParticipantsFlows() throws Exception {
    LiveUpdatesTest.Feed feed = LiveUpdatesTest.Feed.open(URI.create("ws://127.0.0.1:"
        + plainsight.app().dashboardPort() + "/api/updates?token=" + aliceToken));
    try {
      String bobs = origin.url("/hello?live=bob-" + UUID.randomUUID());
      String alices = origin.url("/hello?live=alice-" + UUID.randomUUID());
      capture("bob", bobs);
      capture("alice", alices);
      JsonNode summary = feed.awaitFlow(alices);
      assertEquals("alice", summary.get("participant").asText());
      for (String message; (message = feed.messages.poll(200, TimeUnit.MILLISECONDS)) != null; ) {
        assertFalse(message.contains("bob"), "bob's flow reached alice's feed: " + message);
      }
    } finally {
      feed.close();
    }
  }

  @Test
  void theLinkOpensInABrowserAndSetsTheCookie() throws Exception {
    HttpResponse<String> page = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + plainsight.app().dashboardPort() + "/?token=" + aliceToken)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Set-Cookie").orElse("")
        .startsWith(AccessGuard.COOKIE + "=" + aliceToken + ";"), page.headers().toString());
  }

  private static HttpResponse<String> open(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + plainsight.app().dashboardPort() + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLinkTypedOrOpenedFromTheDashboardItselfSetsTheCookie() throws Exception {
    for (String site : new String[] {"none", "same-origin"}) {
      HttpResponse<String> page = open("/?token=" + aliceToken, "Sec-Fetch-Site", site);
      assertEquals(200, page.statusCode(), site);
      assertTrue(page.headers().firstValue("Set-Cookie").orElse("")
          .startsWith(AccessGuard.COOKIE + "=" + aliceToken + ";"), site);
    }
  }

  @Test
  void aSameSitePageCannotSwapTheCookieThroughALink() throws Exception {
    HttpResponse<String> page = open("/?token=" + aliceToken, "Sec-Fetch-Site", "same-site",
        "Cookie", AccessGuard.COOKIE + "=" + plainsight.app().token());
    assertEquals(403, page.statusCode(), page.body());
    assertTrue(page.headers().firstValue("Set-Cookie").isEmpty(), page.headers().toString());
    assertTrue(page.body().contains("opened directly"), page.body());
  }

  @Test
  void aParticipantLinkNeverSilentlyReplacesTheTrainersCookie() throws Exception {
    HttpResponse<String> page = open("/?token=" + aliceToken, "Sec-Fetch-Site", "none",
        "Cookie", AccessGuard.COOKIE + "=" + plainsight.app().token());
    assertEquals(409, page.statusCode(), page.body());
    assertTrue(page.headers().firstValue("Set-Cookie").isEmpty(), page.headers().toString());
    assertTrue(page.body().contains("private window"), page.body());
    HttpResponse<String> trainerAgain = open("/api/me",
        "Cookie", AccessGuard.COOKIE + "=" + plainsight.app().token());
    assertTrue(trainerAgain.body().contains("\"trainer\""), trainerAgain.body());
  }

  @Test
  void linksSurviveARestartAndDifferPerParticipant() {
    ParticipantLinks again = ParticipantLinks.loadOrCreate(dir.resolve("data"));
    assertEquals(aliceToken, again.token("alice"));
    assertEquals("alice", again.participant(aliceToken).orElseThrow());
    assertFalse(again.token("bob").equals(aliceToken));
    ParticipantLinks other = ParticipantLinks.withSecret(new byte[32]);
    assertTrue(other.participant(aliceToken).isEmpty(), "another key knows no link of ours");
  }
}
