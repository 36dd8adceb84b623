package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.capture.CaptureMode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.PublicAddressNamespace;
import dev.plainsight.testing.RunningPlainsight;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client from a public address (a network namespace on this machine, TEST-NET-3) is refused
 * by default and served with --allow-public: the proxy on a workshop LAN is not an open proxy.
 */
class PublicClientTest {
  @TempDir static Path dir;
  static PublicAddressNamespace namespace;
  static OriginServer origin;

  @BeforeAll
  static void start() throws Exception {
    namespace = PublicAddressNamespace.create();
    origin = OriginServer.http();
  }

  @AfterAll
  static void stop() {
    if (origin != null) {
      origin.close();
    }
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void aClientFromAPublicAddressIsRefusedAndTheRefusalIsAFlow() throws Exception {
    try (RunningPlainsight plainsight = start(dir.resolve("default"), false)) {
      String url = origin.url("/hello?from-the-internet");

      Curl.Result result = namespace.curl("-s", "-w", "\n%{http_code}", "-x",
          "http://" + namespace.hostAddress() + ":" + plainsight.proxyPort(), url);

      assertTrue(result.stdout().endsWith("\n403"), result.stdout() + result.stderr());
      assertTrue(result.stdout().contains("--allow-public"), result.stdout());
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.ERROR, flow.kind());
      assertTrue(flow.client().startsWith(namespace.clientAddress()), flow.client());
      assertTrue(flow.error().contains("only clients on this machine or a private network"),
          flow.error());
    }
  }

  @Test
  void withAllowPublicTheSameClientIsServed() throws Exception {
    try (RunningPlainsight plainsight = start(dir.resolve("allow"), true)) {
      String url = origin.url("/hello?allowed");

      Curl.Result result = namespace.curl("-s", "-x",
          "http://" + namespace.hostAddress() + ":" + plainsight.proxyPort(), url);

      assertEquals("hello from the origin\n", result.stdout(), result.stderr());
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      assertEquals(FlowKind.HTTP, flow.kind());
      assertTrue(flow.client().startsWith(namespace.clientAddress()), flow.client());
    }
  }

  @Test
  void withCaptureOffAPublicClientIsStillRefused() throws Exception {
    try (RunningPlainsight plainsight = RunningPlainsight.start(dir.resolve("off"),
        options(dir.resolve("off"), false).captureMode(CaptureMode.OFF).build())) {
      String url = origin.url("/hello?uncaptured");

      Curl.Result result = namespace.curl("-s", "-w", "\n%{http_code}", "-x",
          "http://" + namespace.hostAddress() + ":" + plainsight.proxyPort(), url);

      assertTrue(result.stdout().endsWith("\n403"), result.stdout() + result.stderr());
      assertTrue(result.stdout().contains("--allow-public"), result.stdout());
      assertFalse(result.stdout().contains("hello from the origin"), result.stdout());
    }
  }

  private static RunningPlainsight start(Path home, boolean allowPublic) {
    return RunningPlainsight.start(home, options(home, allowPublic).build());
  }

  private static Options.Builder options(Path home, boolean allowPublic) {
    return Options.builder(0, 0, home.resolve("ca"), home.resolve("data"))
        .listen(namespace.hostAddress())
        .allowPublicClients(allowPublic)
        // the origin runs on this machine: a port other machines' clients may reach
        .portsOpenToRoom(Set.of(origin.port()));
  }
}
