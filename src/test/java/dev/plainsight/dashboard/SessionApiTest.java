package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture sessions through the API: start, rename, export as HAR, import it back, delete. */
class SessionApiTest {
  @TempDir Path dir;

  @Test
  void aSessionIsExportedAsHarImportedBackRenamedAndDeleted() throws Exception {
    try (OriginServer origin = OriginServer.http();
        RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      var started = plainsight.api("POST", "/api/sessions", "{\"name\": \"login lab\"}");
      assertEquals(201, started.status(), started.text());
      String id = started.json().path("id").asText();

      String url = origin.url("/echo?har=1");
      Curl.run("-s", "-x", plainsight.proxyUrl(), "-d", "user=alice&password=hunter2", url);
      Flow captured = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(id, captured.session());
      plainsight.app().store().flush();

      var har = plainsight.api("GET", "/api/sessions/" + id + "/har", null);
      assertEquals(200, har.status());
      JsonNode entries = har.json().path("log").path("entries");
      assertEquals("1.2", har.json().path("log").path("version").asText());
      assertEquals(url, entries.path(0).path("request").path("url").asText());
      assertEquals("user=alice&password=hunter2",
          entries.path(0).path("request").path("postData").path("text").asText());

      var imported = plainsight.api("POST", "/api/sessions/import?name=replayed", har.text());
      assertEquals(201, imported.status(), imported.text());
      assertEquals(1, imported.json().path("imported").asInt());
      String importedId = imported.json().path("session").asText();
      JsonNode importedFlows = plainsight.api("/api/flows?session=" + importedId).json();
      assertEquals(url, importedFlows.path("flows").path(0).path("url").asText());

      var renamed = plainsight.api("PATCH", "/api/sessions/" + importedId,
          "{\"name\": \"replayed login\"}");
      assertEquals("replayed login", renamed.json().path("name").asText());

      assertEquals(409, plainsight.api("DELETE", "/api/sessions/" + id, null).status(),
          "the current session cannot be deleted");
      assertEquals(204, plainsight.api("DELETE", "/api/sessions/" + importedId, null).status());
      assertTrue(plainsight.api("/api/sessions").text().contains("login lab"));
      assertTrue(!plainsight.api("/api/sessions").text().contains("replayed login"));
      assertEquals(400, plainsight.api("POST", "/api/sessions/import", "{\"not\": \"a har\"}")
          .status());
    }
  }
}
