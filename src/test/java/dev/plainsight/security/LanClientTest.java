package dev.plainsight.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.Plainsight;
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
 * A client on the workshop LAN (a network namespace with a private address, so the client
 * policy serves it) cannot use the proxy to reach the trainer's own services on this machine
 * (issue 14.2): loopback and this machine's own addresses are refused with 403 and an error flow,
 * except the ports opened to the room (the demo site's); a client on this machine still reaches
 * a local site. The refusals reached the origin on main before the fix.
 */
class LanClientTest {
  @TempDir static Path dir;
  static PublicAddressNamespace lan;
  static OriginServer trainersService;
  static OriginServer openToRoom;
  static RunningPlainsight plainsight;
  static String proxy;

  @BeforeAll
  static void start() throws Exception {
    lan = PublicAddressNamespace.createPrivate();
    trainersService = OriginServer.http();
    openToRoom = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, Options.builder(0, 0,
            dir.resolve("ca"), dir.resolve("data"))
        .listen("0.0.0.0")
        .portsOpenToRoom(Set.of(openToRoom.port())).build());
    proxy = "http://" + lan.hostAddress() + ":" + plainsight.proxyPort();
  }

  @AfterAll
  static void stop() {
    if (plainsight != null) {
      plainsight.close();
    }
    if (trainersService != null) {
      trainersService.close();
      openToRoom.close();
    }
    if (lan != null) {
      lan.close();
    }
  }

  @Test
  void aLanClientCannotReachALoopbackServiceOfThisMachine() throws Exception {
    String url = trainersService.url("/secret-admin");

    Curl.Result result = lan.curl("-s", "-w", "\n%{http_code}", "-x", proxy, url);

    assertTrue(result.stdout().endsWith("\n403"), result.stdout() + result.stderr());
    assertTrue(result.stdout().contains("on the machine running Plainsight"), result.stdout());
    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertTrue(flow.client().startsWith(lan.clientAddress()), flow.client());
    assertTrue(flow.error().contains("own services clients on other machines may not reach"),
        flow.error());
  }

  @Test
  void aLanClientCannotReachThisMachineByItsLanAddressOrLocalhostOrAConnect() throws Exception {
    int port = trainersService.port();
    for (String url : new String[] {"http://" + lan.hostAddress() + ":" + port + "/",
        "http://localhost:" + port + "/", "http://0:" + port + "/"}) {
      Curl.Result result = lan.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "-x", proxy,
          url);
      assertEquals("403", result.stdout(), url + ": " + result.stderr());
    }
    Curl.Result tunnel = lan.curl("-s", "-o", "/dev/null", "-w", "%{http_connect}", "-p", "-x",
        proxy, "http://127.0.0.1:" + port + "/");
    assertEquals("403", tunnel.stdout(), tunnel.stderr());
  }

  @Test
  void aLanClientReachesAPortOpenedToTheRoom() throws Exception {
    Curl.Result result = lan.curl("-s", "-x", proxy, openToRoom.url("/hello"));

    assertEquals("hello from the origin\n", result.stdout(), result.stderr());
  }

  @Test
  void aLanClientNeverReachesTheDashboardEvenOnAnOpenedPortList() throws Exception {
    Curl.Result result = lan.curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "-x", proxy,
        "http://" + lan.hostAddress() + ":" + plainsight.app().dashboardPort() + "/ca");

    assertEquals("403", result.stdout(), result.stderr());
  }

  @Test
  void aClientOnThisMachineStillReachesALocalSite() throws Exception {
    Curl.Result result = Curl.run("-s", "-x", "http://127.0.0.1:" + plainsight.proxyPort(),
        trainersService.url("/hello"));

    assertEquals("hello from the origin\n", result.stdout(), result.stderr());
  }
}
