package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trainer flips a host between tunnelled and intercepted while the proxy runs. */
class InterceptPolicyTest {
  @TempDir Path dir;

  @Test
  void aHostPutOnThePassthroughListIsTunnelledFromTheNextConnection() throws Exception {
    TestPki pki = TestPki.create("Policy CA");
    try (OriginServer origin = OriginServer.https(pki.issue("localhost").serverContext());
        RunningPlainsight plainsight = RunningPlainsight.start(dir, pki, List.of())) {
      String url = "https://localhost:" + origin.port() + "/hello";
      String originCa = pki.writeCaPem(dir).toString();

      Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert", plainsight.caPem().toString(), url);
      plainsight.awaitFlow(f -> url.equals(f.url()) && f.kind() == FlowKind.HTTPS_DECRYPTED);

      var put = plainsight.api("PUT", "/api/policy", "{\"passthrough\": [\"local*\"]}");
      assertEquals(200, put.status(), put.text());
      assertEquals("local*", put.json().path("passthrough").path(0).asText());

      Curl.Result tunnelled = Curl.run("-s", "-x", plainsight.proxyUrl(), "--cacert", originCa, url);
      assertEquals(0, tunnelled.exitCode(), "the client now talks to the real server: "
          + tunnelled.stderr());
      plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL && "localhost".equals(f.host()));

      assertEquals(400, plainsight.api("PUT", "/api/policy", "{}").status());
      assertEquals(List.of("local*"), plainsight.app().passthrough().globs());
    }
  }
}
