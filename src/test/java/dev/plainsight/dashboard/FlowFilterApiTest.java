package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.RunningPlainsight.ApiResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/flows} with comma lists, globs and negation, and the background host list
 * ({@code GET/PUT /api/background}), against a real Plainsight and its real store: flows with
 * public host names are added to the store (no DNS in tests), one flow is captured through the
 * proxy by curl.
 */
class FlowFilterApiTest {
  @TempDir Path dir;
  RunningPlainsight plainsight;
  OriginServer origin;

  @BeforeEach
  void start() {
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, null, List.of());
    add("update.googleapis.com", FlowKind.ERROR);
    add("safebrowsing.googleapis.com", FlowKind.HTTPS_TUNNEL);
    add("firefox.settings.services.mozilla.com", FlowKind.ERROR);
    add("www.mozilla.com", FlowKind.HTTPS_DECRYPTED);
    add("maps.google.com", FlowKind.HTTPS_DECRYPTED);
    add("www.google.com", FlowKind.HTTP);
    add("shop.example", FlowKind.HTTPS_REJECTED);
  }

  @AfterEach
  void stop() {
    plainsight.close();
    origin.close();
  }

  @Test
  void kindTakesACommaListAndALeadingBangExcludesIt() {
    assertEquals(List.of("www.google.com", "maps.google.com", "www.mozilla.com"),
        hosts("kind=http,https-decrypted"));
    assertEquals(List.of("shop.example", "www.google.com", "maps.google.com", "www.mozilla.com",
        "safebrowsing.googleapis.com"), hosts("kind=!error"));
    assertEquals(List.of("shop.example", "www.google.com"),
        hosts("kind=" + enc("!error, https-decrypted,https-tunnel")));
  }

  @Test
  void hostTakesValuesAndGlobsCaseInsensitivelyAndNegation() {
    assertEquals(List.of("safebrowsing.googleapis.com", "update.googleapis.com"),
        hosts("host=" + enc("*.GoogleAPIs.com")));
    assertEquals(List.of("shop.example", "www.google.com", "maps.google.com"),
        hosts("host=" + enc("!*.googleapis.com,*.mozilla.com")));
    assertEquals(List.of("www.google.com", "maps.google.com"), hosts("host=google.com"),
        "a plain value is contained in the host");
    assertEquals(List.of("www.google.com"), hosts("host=" + enc("www.googl?.com")));
    assertEquals(List.of("www.google.com", "www.mozilla.com"),
        hosts("host=" + enc("www.*,nothing.example")));
    assertEquals(List.of("www.mozilla.com"), hosts("host=" + enc("*mozilla*") + "&kind=!error"),
        "filters combine");
  }

  @Test
  void aMalformedFilterIsA400SayingWhy() {
    ApiResponse space = plainsight.api("/api/flows?host=" + enc("a b.example"));
    assertEquals(400, space.status());
    assertTrue(space.text().contains("\"a b.example\" is not a host name or glob"), space.text());
    ApiResponse empty = plainsight.api("/api/flows?host=" + enc("a.example,,b.example"));
    assertEquals(400, empty.status());
    assertTrue(empty.text().contains("empty host value"), empty.text());
    ApiResponse bang = plainsight.api("/api/flows?host=" + enc("a.example,!b.example"));
    assertEquals(400, bang.status());
    assertTrue(bang.text().contains("goes first only"), bang.text());
    ApiResponse kind = plainsight.api("/api/flows?kind=" + enc("!error,carrier-pigeon"));
    assertEquals(400, kind.status());
    assertTrue(kind.text().contains("unknown flow kind \"carrier-pigeon\""), kind.text());
    assertEquals(400, plainsight.api("/api/flows?background=maybe").status());
  }

  @Test
  void browserServicesAreBackgroundAndHiddenByBackgroundFalse() {
    JsonNode all = plainsight.api("/api/flows").json();
    for (JsonNode flow : all.get("flows")) {
      boolean expected = List.of("update.googleapis.com", "safebrowsing.googleapis.com",
          "firefox.settings.services.mozilla.com").contains(flow.get("host").asText());
      assertEquals(expected, flow.get("background").asBoolean(), flow.toString());
    }
    assertEquals(List.of("shop.example", "www.google.com", "maps.google.com", "www.mozilla.com"),
        hosts("background=false"), "google.com itself is not background");
    JsonNode page = plainsight.api("/api/flows?background=false").json();
    assertEquals(3, page.get("backgroundHidden").asInt(), page.toString());
    assertEquals(List.of("firefox.settings.services.mozilla.com", "safebrowsing.googleapis.com",
        "update.googleapis.com"), hosts("background=true"));
    JsonNode errors = plainsight.api("/api/flows?background=false&kind=error").json();
    assertEquals(0, errors.get("total").asInt(), "both error flows were background");
    assertEquals(2, errors.get("backgroundHidden").asInt(), "counted under the same filter");
  }

  @Test
  void aHostAddedToTheListBecomesBackgroundAndTheListSurvivesARestart() throws Exception {
    String url = origin.url("/hello");
    Curl.Result curl = Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(), url);
    assertEquals(0, curl.exitCode(), curl.stderr());
    Flow captured = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertFalse(detail(captured.id()).get("background").asBoolean());

    List<String> hosts = new ArrayList<>();
    plainsight.api("/api/background").json().get("hosts").forEach(h -> hosts.add(h.asText()));
    assertTrue(hosts.contains("detectportal.firefox.com"), hosts.toString());
    assertFalse(hosts.contains("google.com") || hosts.contains("www.google.com"), hosts.toString());
    hosts.add("127.0.0.?");
    ApiResponse put = plainsight.api("PUT", "/api/background",
        "{\"hosts\": [" + String.join(",", hosts.stream().map(h -> "\"" + h + "\"").toList()) + "]}");
    assertEquals(200, put.status(), put.text());

    assertTrue(detail(captured.id()).get("background").asBoolean(), "already captured flows follow");
    assertFalse(ids("background=false").contains(captured.id()));
    assertTrue(ids("background=true").contains(captured.id()));
    Path kept = dir.resolve("data").resolve(BackgroundHosts.FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));

    plainsight.close();
    plainsight = RunningPlainsight.start(dir, null, List.of());
    JsonNode after = plainsight.api("/api/background").json().get("hosts");
    assertEquals(hosts.size(), after.size());
    assertEquals("127.0.0.?", after.get(after.size() - 1).asText());
    assertTrue(detail(captured.id()).get("background").asBoolean(), "after the restart too");
  }

  @Test
  void aMalformedBackgroundListIsRefusedAndTheOldOneKept() {
    int before = plainsight.api("/api/background").json().get("hosts").size();
    ApiResponse bad = plainsight.api("PUT", "/api/background", "{\"hosts\": [\"ok.example\", \"a/b\"]}");
    assertEquals(400, bad.status());
    assertTrue(bad.text().contains("\"a/b\" is not a host name or glob"), bad.text());
    assertEquals(400, plainsight.api("PUT", "/api/background", "{\"globs\": []}").status());
    assertEquals(before, plainsight.api("/api/background").json().get("hosts").size());
  }

  private void add(String host, FlowKind kind) {
    plainsight.app().store().add(new FlowBuilder().kind(kind).startedAt(Instant.now())
        .client("127.0.0.1:40000").method(kind == FlowKind.HTTPS_TUNNEL ? "CONNECT" : "GET")
        .url(kind == FlowKind.HTTPS_TUNNEL || kind == FlowKind.HTTPS_REJECTED ? null
            : "https://" + host + "/")
        .host(host).port(443).build());
  }

  private JsonNode detail(long id) {
    return plainsight.api("/api/flows/" + id).json();
  }

  private List<String> hosts(String query) {
    ApiResponse response = plainsight.api("/api/flows?" + query);
    assertEquals(200, response.status(), response.text());
    List<String> hosts = new ArrayList<>();
    response.json().get("flows").forEach(f -> hosts.add(f.get("host").asText()));
    return hosts;
  }

  private List<Long> ids(String query) {
    List<Long> ids = new ArrayList<>();
    plainsight.api("/api/flows?" + query).json().get("flows").forEach(f -> ids.add(f.get("id").asLong()));
    return ids;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
