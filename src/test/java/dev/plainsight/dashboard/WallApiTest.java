package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.Plainsight;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wall's API: secrets masked, every detector, the trainer's only, paused and cleared server-side. */
class WallApiTest {
  private static final String ROOM = "wall-room";
  @TempDir static Path dir;
  static OriginServer origin;
  static RunningPlainsight plainsight;
  static String aliceToken;

  @BeforeAll
  static void start() {
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, dev.plainsight.Options.builder(0, 0,
        dir.resolve("ca"), dir.resolve("data")).roomPassword(ROOM).build());
    aliceToken = plainsight.api("POST", "/api/participants/alice/link", null).json()
        .get("token").asText();
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  @BeforeEach
  void freshWall() {
    assertEquals(200, plainsight.api("PUT", "/api/wall", "{\"paused\": false}").status());
    assertEquals(200, plainsight.api("POST", "/api/wall/clear", null).status());
  }

  private static void curl(String path, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-s", "-o", "/dev/null", "-x",
        plainsight.proxyUrl(), "--proxy-user", "alice:" + ROOM));
    all.addAll(List.of(args));
    all.add(origin.url(path));
    Curl.Result result = Curl.run(all.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.stderr());
    String url = origin.url(path);
    plainsight.awaitFlow(f -> url.equals(f.url()));
  }

  private static List<JsonNode> secrets() {
    RunningPlainsight.ApiResponse wall = plainsight.api("/api/secrets");
    assertEquals(200, wall.status(), wall.text());
    List<JsonNode> list = new ArrayList<>();
    wall.json().get("secrets").forEach(list::add);
    return list;
  }

  private static JsonNode only(String kind) {
    List<JsonNode> found = secrets().stream().filter(s -> s.get("kind").asText().equals(kind)).toList();
    assertEquals(1, found.size(), kind + ": " + secrets());
    return found.get(0);
  }

  private static String text(String path, String token) throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
        .build().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + plainsight.app().dashboardPort() + path)).header("Authorization", "Bearer " + token)
            .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response.body();
  }

  @Test
  void aPostedPasswordAppearsMaskedAndItsValueNowhere() throws Exception {
    String password = "correct-horse-battery";
    curl("/echo?login", "--data", "user=alice&password=" + password);
    JsonNode secret = only("form-password");
    assertEquals("password", secret.get("name").asText());
    assertEquals("co" + "\u2022".repeat(19), secret.get("masked").asText());
    assertEquals(21, secret.get("length").asInt());
    assertEquals("clear", secret.get("type").asText());
    assertEquals("alice", secret.get("participant").asText());
    assertEquals("127.0.0.1", secret.get("host").asText());
    String api = plainsight.api("/api/secrets").text();
    assertEquals(1, plainsight.api("/api/secrets").json().get("counts").get("clear").asInt(), api);
    for (String seen : new String[] {api, text("/wall", plainsight.app().token()),
        text("/js/wall.js", plainsight.app().token()), text("/wall.css", plainsight.app().token()),
        plainsight.api("/api/wall").text()}) {
      assertFalse(seen.contains(password) || seen.contains("horse"), seen);
    }
  }

  @Test
  void aShortPasswordShowsOnlyItsLength() throws Exception {
    curl("/echo?short", "--data", "pin=1234567");
    JsonNode secret = only("form-password");
    assertEquals("\u2022".repeat(7), secret.get("masked").asText());
    assertEquals(7, secret.get("length").asInt());
  }

  @Test
  void eachDetectorFindsItsKindAndNothingElse() throws Exception {
    curl("/echo?basic", "-H", "Authorization: Basic "
        + Base64.getEncoder().encodeToString("alice-in-chains:open-sesame-42".getBytes()));
    curl("/echo?bearer", "-H", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig");
    curl("/echo?cookie", "-H", "Cookie: theme=dark; _ga=GA1.2.3; sessionid=abcdef123456");
    curl("/hello?api_key=k-42-secret-key&page=2");
    curl("/echo?json", "-H", "Content-Type: application/json", "--data",
        "{\"user\": \"alice\", \"nested\": {\"password\": \"json-pass-word\"}, \"n\": [1, 2]}");
    curl("/echo?multipart", "-F", "user=alice", "-F", "passwd=multi-part-secret");
    JsonNode basic = only("basic");
    assertEquals("al" + "\u2022".repeat(13), basic.get("name").asText(), "the user name, masked");
    assertEquals("op" + "\u2022".repeat(12), basic.get("masked").asText());
    assertEquals(30 - 16, basic.get("length").asInt());
    assertEquals("Authorization", only("bearer").get("name").asText());
    JsonNode cookie = only("cookie");
    assertEquals("sessionid", cookie.get("name").asText(), "theme and _ga are not on the wall");
    assertEquals(12, cookie.get("length").asInt());
    assertEquals("api_key", only("url-key").get("name").asText());
    assertEquals("password", only("json-password").get("name").asText());
    JsonNode multipart = only("form-password");
    assertEquals("passwd", multipart.get("name").asText());
    assertEquals(17, multipart.get("length").asInt());
    String api = plainsight.api("/api/secrets").text();
    for (String value : new String[] {"open-sesame-42", "alice-in-chains", "eyJhbGciOiJIUzI1NiJ9",
        "abcdef123456", "k-42-secret-key", "json-pass-word", "multi-part-secret"}) {
      assertFalse(api.contains(value), value + " in " + api);
    }
  }

  @Test
  void aParticipantLinkIsRefusedTheWallEverywhere() throws Exception {
    HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    String base = "http://127.0.0.1:" + plainsight.app().dashboardPort();
    String[][] routes = {{"GET", "/wall"}, {"GET", "/wall.html"}, {"GET", "/api/secrets"},
        {"GET", "/api/wall"}, {"PUT", "/api/wall"}, {"POST", "/api/wall/clear"}};
    for (String[] route : routes) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + route[1]))
          .header("Authorization", "Bearer " + aliceToken)
          .method(route[0], HttpRequest.BodyPublishers.ofString("{\"paused\": true}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(403, response.statusCode(), route[0] + " " + route[1]);
    }
    HttpResponse<String> none = client.send(HttpRequest.newBuilder(URI.create(base + "/wall"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, none.statusCode(), "no token, no wall");
    assertFalse(plainsight.api("/api/wall").json().get("paused").asBoolean());
    assertFalse(text("/", aliceToken).contains("/wall"), "the page carries no link to it");
  }

  @Test
  void pauseFreezesTheWallForEveryoneAndClearShowsOnlyWhatComesAfter() throws Exception {
    curl("/echo?before", "--data", "password=before-the-clear");
    assertEquals(1, secrets().size());
    assertEquals(200, plainsight.api("POST", "/api/wall/clear", null).status());
    assertEquals(List.of(), secrets(), "cleared: nothing before that moment");
    assertTrue(plainsight.api("/api/flows?q=before").json().get("total").asInt() >= 1,
        "the flow stays in the store");
    JsonNode paused = plainsight.api("PUT", "/api/wall", "{\"paused\": true}").json();
    assertTrue(paused.get("paused").asBoolean());
    assertTrue(plainsight.api("/api/secrets").json().get("paused").asBoolean());
    curl("/echo?during", "--data", "password=during-the-pause");
    assertEquals(List.of(), secrets(), "paused: the wall does not change");
    plainsight.api("PUT", "/api/wall", "{\"paused\": false}");
    assertEquals(1, secrets().size(), "resumed: what came during the pause shows");
    assertEquals(400, plainsight.api("PUT", "/api/wall", "{}").status());
  }
}
