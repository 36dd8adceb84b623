package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.Options;
import dev.plainsight.Plainsight;
import dev.plainsight.testing.Chromium;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.Zbar;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/join} hands out the addresses participants should use, and {@code
 * /api/join/qr.png} a QR code of the page: for listeners on loopback (this machine only, said in
 * a note) and on all addresses (this machine's LAN address, never {@code 0.0.0.0}), each
 * address actually reachable; trainer only.
 */
class JoinApiTest {
  @TempDir Path dir;

  @Test
  void onLoopbackTheAddressesAreLoopbackAndTheNoteSaysOnlyThisMachineCanJoin() throws Exception {
    try (RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      int proxy = plainsight.proxyPort();
      int dashboard = plainsight.app().dashboardPort();

      JsonNode join = plainsight.api("/api/join").json();

      assertEquals("http://127.0.0.1:" + proxy, join.get("proxy").asText());
      assertEquals("http://127.0.0.1:" + dashboard + "/proxy.pac", join.get("pac").asText());
      assertEquals("http://127.0.0.1:" + dashboard + "/join", join.get("page").asText());
      assertTrue(join.get("note").asText().contains("--listen 0.0.0.0"), join.toString());
      assertEquals(join.get("page").asText(), Zbar.decode(qrPng(plainsight)));
    }
  }

  @Test
  void onAllAddressesTheAddressesAreThisMachinesLanAddressAndEachWorks() throws Exception {
    try (RunningPlainsight plainsight = RunningPlainsight.start(dir, onAllAddresses(dir))) {
      int proxy = plainsight.proxyPort();
      int dashboard = plainsight.app().dashboardPort();
      String host = bestIpv4Address();

      JsonNode join = plainsight.api("/api/join").json();

      assertEquals("http://" + host + ":" + proxy, join.get("proxy").asText());
      assertEquals("http://" + host + ":" + dashboard + "/proxy.pac", join.get("pac").asText());
      assertEquals("http://" + host + ":" + dashboard + "/join", join.get("page").asText());
      assertFalse(join.toString().contains("0.0.0.0"), join.toString());
      assertEquals(host.startsWith("127."), join.has("note"), join.toString());
      assertEquals(join.get("page").asText(), Zbar.decode(qrPng(plainsight)));

      Curl.Result page = Curl.run("-s", "--noproxy", "*", join.get("page").asText());
      assertTrue(page.stdout().contains(plainsight.app().ca().sha256Fingerprint()), page.stdout());
      assertTrue(page.stdout().contains("<code id=\"proxy-host\">" + host + "</code>"), page.stdout());
      Curl.Result pac = Curl.run("-s", "--noproxy", "*", join.get("pac").asText());
      assertTrue(pac.stdout().contains("\"PROXY " + host + ":" + proxy + "; DIRECT\""), pac.stdout());
      Curl.Result throughProxy = Curl.run("-s", "-o", "/dev/null", "-w", "%{http_code}",
          "-x", join.get("proxy").asText(), "http://plainsight/");
      assertEquals("200", throughProxy.stdout(), "the proxy answers at the address handed out");

      String seen = Chromium.dumpDomWithProxyPac(join.get("pac").asText(),
          join.get("page").asText(), Duration.ofSeconds(3));
      assertTrue(seen.contains("Join the Plainsight workshop"), "Chromium with only the PAC URL "
          + "opens the dashboard's page directly, not the proxy's refusal: " + seen);
    }
  }

  @Test
  void onlyTheTrainerGetsTheJoinAddresses() throws Exception {
    try (RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      String base = "http://127.0.0.1:" + plainsight.app().dashboardPort();
      HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
      String link = plainsight.api("POST", "/api/participants/sam/link", null).json()
          .get("token").asText();

      for (String path : List.of("/api/join", "/api/join/qr.png")) {
        assertEquals(401, client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode(), path + " without a token");
        assertEquals(403, client.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + link).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode(), path + " for a participant");
      }
      assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/join")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode(), "the page itself is public");
    }
  }

  private static byte[] qrPng(RunningPlainsight plainsight) throws Exception {
    HttpResponse<byte[]> png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + plainsight.app().dashboardPort() + "/api/join/qr.png"))
        .header("Authorization", "Bearer " + plainsight.app().token()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, png.statusCode());
    assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
    return png.body();
  }

  /** This machine's first non-loopback, non-link-local IPv4 address by text, else 127.0.0.1. */
  private static String bestIpv4Address() throws Exception {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .map(InetAddress::getHostAddress)
        .min(Comparator.naturalOrder())
        .orElse("127.0.0.1");
  }

  /**
   * Both listeners on all addresses; public clients allowed, because this machine's own LAN
   * address may be a public-looking one (a CI machine's TEST-NET address), and curl's requests
   * to it come from it.
   */
  private static Options onAllAddresses(Path dir) {
    return Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data")).listen("0.0.0.0")
        .dashboardListen("0.0.0.0").maxDataSize(0).allowPublicClients(true).build();
  }
}
