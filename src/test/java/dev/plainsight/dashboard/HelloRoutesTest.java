package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.tls.Direction;
import dev.plainsight.tls.TlsObservation;
import dev.plainsight.tls.TlsObserver;
import io.javalin.http.NotFoundResponse;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the hello routes answer for flows that lack the bytes, and the fingerprints they give. */
class HelloRoutesTest {

  static TlsObservation observed(String fixture) throws Exception {
    byte[] bytes;
    try (InputStream in = HelloRoutesTest.class.getResourceAsStream("/tls/" + fixture)) {
      bytes = in.readAllBytes();
    }
    TlsObserver observer = new TlsObserver();
    observer.onBytes(Direction.CLIENT_TO_SERVER, bytes, 0, bytes.length, 0);
    return observer.snapshot();
  }

  static Flow tunnel(TlsObservation side) {
    return new FlowBuilder().session("").kind(FlowKind.HTTPS_TUNNEL)
        .startedAt(Instant.parse("2026-12-02T10:00:00Z")).client("127.0.0.1:40000")
        .method("CONNECT").host("shop.example").port(443)
        .wire(new WireObservations(null, side, null)).build().withId(7);
  }

  @Test
  void aFlowStoredBeforeHelloBytesWereKeptAnswers404SayingSo() throws Exception {
    TlsObservation now = observed("client-hello-curl.bin");
    TlsObservation old = new TlsObservation(now.clientHello(), null, List.of(), List.of(),
        List.of(), 1, 517, 0, 0, false, List.of());
    NotFoundResponse answer = assertThrows(NotFoundResponse.class,
        () -> HelloRoutes.hello(tunnel(old), false, true));
    assertEquals("flow 7 was stored before Plainsight kept the bytes of hellos",
        answer.getMessage());
    assertTrue(HelloRoutes.fingerprints(tunnel(old)).isEmpty());
  }

  @Test
  void aHelloNotSeenAndAMissingUpstreamAnswer404WithTheirReasons() throws Exception {
    Flow flow = tunnel(observed("client-hello-curl.bin"));
    assertEquals("no ServerHello was seen in clear on flow 7", assertThrows(
        NotFoundResponse.class, () -> HelloRoutes.hello(flow, false, false)).getMessage());
    assertTrue(assertThrows(NotFoundResponse.class, () -> HelloRoutes.hello(flow, true, true))
        .getMessage().contains("not intercepted"));
  }

  @Test
  void theClientsFingerprintsComeFromItsClientHello() throws Exception {
    Map<String, Object> json = HelloRoutes.fingerprints(tunnel(observed("client-hello-curl.bin")));
    assertTrue(((String) json.get("ja4")).startsWith("t13d"), json.toString());
    assertTrue(((String) json.get("ja3")).matches("[0-9a-f]{32}"), json.toString());
  }
}
