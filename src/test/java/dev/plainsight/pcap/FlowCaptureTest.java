package dev.plainsight.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.Tshark;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The captures a trainer downloads, from a real proxy driven by real clients, read by tshark: a
 * plain POST shows its form password, an intercepted request decrypts with the embedded secrets
 * and stays sealed without them, a tunnel shows its SNI and nothing decrypted, every leg starts
 * with a three-way handshake and has no TCP analysis warnings, a session capture holds every flow
 * of the session, and a 50 MiB download keeps no more than the limit per leg.
 */
class FlowCaptureTest {
  @TempDir Path dir;

  @Test
  void plainInterceptedAndTunnelledFlowsExportAsTsharkReadsThem() throws Exception {
    TestPki pki = TestPki.create("Capture Origin CA");
    TestPki.ServerIdentity identity = pki.issue("127.0.0.1", "localhost");
    try (OriginServer http = OriginServer.http();
        OriginServer https = OriginServer.https(identity.serverContext());
        RunningPlainsight plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"))) {
      // a plain HTTP form POST
      HttpClient client = plainsight.clientTrustingPlainsight();
      client.send(HttpRequest.newBuilder(URI.create(http.url("/echo")))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("user=alice&password=hunter2-plain")).build(),
          HttpResponse.BodyHandlers.ofString());
      Flow post = plainsight.awaitFlow(f -> "POST".equals(f.method()));
      Path plain = download(plainsight, "/api/flows/" + post.id() + "/pcap");
      assertEquals("hunter2-plain", formValue(plain, "password"));
      assertWellFormed(plain, 2);

      // an intercepted HTTPS request: decrypted with the DSB, sealed without
      client.send(HttpRequest.newBuilder(URI.create(https.url("/hello?secret=intercepted")))
          .build(), HttpResponse.BodyHandlers.ofString());
      Flow secure = plainsight.awaitFlow(f -> f.url() != null && f.url().contains("intercepted"));
      Path open = download(plainsight, "/api/flows/" + secure.id() + "/pcap");
      Path sealed = download(plainsight, "/api/flows/" + secure.id() + "/pcap?secrets=false");
      String[] asHttp = {"-d", "tcp.port==" + plainsight.proxyPort() + ",http"};
      String requests = Tshark.read(open, concat(asHttp, "-Y", "http.request && tls", "-T",
          "fields", "-e", "http.request.method", "-e", "http.request.uri"));
      assertTrue(requests.contains("GET\t/hello?secret=intercepted"), requests);
      assertTrue(Tshark.read(open, concat(asHttp, "-Y", "http.response.code == 200 && tls"))
          .contains("200"));
      assertEquals("", Tshark.read(sealed, concat(asHttp, "-Y",
          "http.request.uri contains \"intercepted\" || http.response.code == 200 && tls")),
          "nothing decrypted without the secrets");
      assertFalse(Tshark.read(sealed, concat(asHttp, "-Y", "tls.app_data")).isBlank(),
          "TLS records are there, sealed");
      assertTrue(Files.size(sealed) < Files.size(open), "the same packets, no secrets block");
      // both legs: the server leg, recorded from Plainsight's own upstream engine, decrypts too
      assertWellFormed(open, 2);
      String[] asTls = {"-d", "tcp.port==" + https.port() + ",tls", "-d",
          "tls.port==" + https.port() + ",http"};
      String upstream = Tshark.read(open, concat(asTls, "-Y", "tcp.stream == 1 && http.request",
          "-T", "fields", "-e", "http.request.method", "-e", "http.request.uri"));
      assertTrue(upstream.contains("GET\t/hello?secret=intercepted"), "server leg: " + upstream);
      assertTrue(Tshark.read(open, concat(asTls, "-Y", "tcp.stream == 1 && http.response.code "
          + "== 200")).contains("200"), "the server's answer, decrypted on its leg");
      assertEquals(List.of("1", "2"), Tshark.read(open, concat(asTls, "-Y",
          "tcp.stream == 1 && (tls.handshake.type == 1 || tls.handshake.type == 2)", "-T",
          "fields", "-e", "tls.handshake.type")).lines().map(l -> l.split(",")[0]).limit(2)
          .toList(), "the server leg starts with Plainsight's ClientHello and the ServerHello");
      assertEquals("", Tshark.read(sealed, concat(asTls, "-Y", "tcp.stream == 1 && http")),
          "the server leg is sealed without the secrets");

      // a tunnel (passthrough): the SNI and TLS records, nothing decrypted even with secrets
      Curl.Result curl = Curl.run("-s", "--proxy", plainsight.proxyUrl(), "--cacert",
          pki.writeCaPem(dir).toString(), "https://localhost:" + https.port() + "/hello?tunnelled");
      assertEquals(0, curl.exitCode(), curl.stderr());
      Flow tunnel = plainsight.awaitFlow(f -> f.host() != null && f.host().equals("localhost"));
      Path tunnelled = download(plainsight, "/api/flows/" + tunnel.id() + "/pcap");
      assertTrue(Tshark.read(tunnelled, concat(asHttp, "-T", "fields", "-e",
          "tls.handshake.extensions_server_name")).contains("localhost"));
      assertFalse(Tshark.read(tunnelled, concat(asHttp, "-Y", "tls.app_data")).isBlank());
      assertEquals("", Tshark.read(tunnelled, concat(asHttp, "-Y",
          "http.request.uri contains \"tunnelled\" || http.response.code == 200 && tls")));
      // both legs of a tunnel, tapped from the server connection's first byte: the same SNI on
      // the way out to the server
      assertWellFormed(tunnelled, 2);
      assertTrue(Tshark.read(tunnelled, "-Y", "tcp.stream == 1", "-T", "fields", "-e",
          "tls.handshake.extensions_server_name").contains("localhost"),
          "the server leg carries the client's ClientHello");

      // the session holds every flow of the session
      Path session = download(plainsight, "/api/sessions/"
          + plainsight.app().sessions().currentId() + "/pcap");
      assertEquals("hunter2-plain", formValue(session, "password"));
      assertTrue(Tshark.read(session, concat(asHttp, "-Y", "http.request && tls", "-T", "fields",
          "-e", "http.request.uri")).contains("/hello?secret=intercepted"));
      assertTrue(Tshark.read(session, concat(asHttp, "-T", "fields", "-e",
          "tls.handshake.extensions_server_name")).contains("localhost"));
      assertWellFormed(session, 6);
    }
  }

  @Test
  void anEndedConnectionsCaptureOutlivesARestartAndGoesWithItsSession() throws Exception {
    TestPki pki = TestPki.create("Stored Capture Origin CA");
    long flowId;
    long connectionId;
    String session;
    try (OriginServer https = OriginServer.https(pki.issue("127.0.0.1").serverContext())) {
      int originPort = https.port();
      try (RunningPlainsight plainsight = RunningPlainsight.start(dir, pki, List.of())) {
        // curl's connection ends with curl: the legs go to the store
        Curl.Result curl = Curl.run("-s", "--proxy", plainsight.proxyUrl(), "--cacert",
            plainsight.caPem().toString(), https.url("/hello?stored=kept"));
        assertEquals(0, curl.exitCode(), curl.stderr());
        Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().contains("stored=kept"));
        flowId = flow.id();
        connectionId = flow.connection();
        session = plainsight.app().sessions().currentId();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (plainsight.app().store().rawLegs(connectionId).isEmpty()
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertTrue(plainsight.app().store().rawLegs(connectionId).isPresent(),
            "the ended connection's legs were handed to the store");
      }
      try (RunningPlainsight again = RunningPlainsight.start(dir, pki, List.of())) {
        assertEquals(1, rawLegRows("session_id = " + session),
            "one row for the connection (both its legs), under its session");
        Path open = download(again, "/api/flows/" + flowId + "/pcap");
        assertWellFormed(open, 2);
        String[] asHttp = {"-d", "tcp.port==" + again.proxyPort() + ",http", "-d",
            "tcp.port==" + originPort + ",tls", "-d", "tls.port==" + originPort + ",http"};
        String uris = Tshark.read(open, concat(asHttp, "-Y", "http.request && tls", "-T",
            "fields", "-e", "tcp.stream", "-e", "http.request.uri"));
        assertTrue(uris.contains("0\t/hello?stored=kept") && uris.contains("1\t/hello?stored=kept"),
            "both legs decrypt after the restart (their secrets were stored with them): " + uris);
        Path sealed = download(again, "/api/flows/" + flowId + "/pcap?secrets=false");
        assertEquals("", Tshark.read(sealed, concat(asHttp, "-Y", "http.request && tls")));
        assertEquals(204, again.api("DELETE", "/api/sessions/" + session, null).status());
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (rawLegRows("session_id = " + session) > 0 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(0, rawLegRows("connection_id = " + connectionId),
            "the legs went with their session");
      }
    }
  }

  /** Rows of the raw_legs table matching {@code where}, read from the database file. */
  private long rawLegRows(String where) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve("data").resolve("plainsight.db"));
        java.sql.ResultSet rs = c.createStatement().executeQuery(
            "SELECT count(*) FROM raw_legs WHERE " + where)) {
      return rs.getLong(1);
    }
  }

  @Test
  void aServerCertificatePlainsightRefusesIsOnTheServerLegWithItsAlert() throws Exception {
    TestPki trusted = TestPki.create("Trusted Origin CA");
    TestPki stranger = TestPki.create("Unknown Origin CA");
    try (OriginServer https = OriginServer.https(
            stranger.issue("127.0.0.1", "localhost").serverContext());
        RunningPlainsight plainsight = RunningPlainsight.start(dir, trusted, List.of())) {
      HttpClient client = plainsight.clientTrustingPlainsight();
      try {
        client.send(HttpRequest.newBuilder(URI.create(https.url("/refused"))).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException expected) {
        // the proxy answers the CONNECT with 502: the client sees no tunnel
      }
      Flow refused = plainsight.awaitFlow(f -> f.kind() == dev.plainsight.flow.FlowKind.ERROR);
      Path open = download(plainsight, "/api/flows/" + refused.id() + "/pcap");
      String[] asTls = {"-d", "tcp.port==" + https.port() + ",tls"};
      String server = Tshark.read(open, concat(asTls, "-Y", "tcp.stream == 1 && tls", "-T",
          "fields", "-e", "tls.handshake.type", "-e", "tls.alert_message.desc"));
      assertTrue(server.lines().findFirst().orElse("").startsWith("1"),
          "the server leg starts with Plainsight's ClientHello: " + server);
      assertTrue(server.lines().anyMatch(l -> l.startsWith("2")),
          "the server answered with its hello: " + server);
      assertTrue(Tshark.read(open, concat(asTls, "-Y", "tcp.stream == 1 && tls.alert_message"
          + " && tcp.srcport != " + https.port())).lines().count() >= 1,
          "Plainsight's refusal (a TLS alert) goes to the server: " + server);
      assertWellFormed(open, 2);
    }
  }

  @Test
  void aFiftyMebibyteDownloadKeepsAtMostTheLimitPerLeg() throws Exception {
    try (OriginServer http = OriginServer.http();
        RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      long before = plainsight.api("/api/stats").json().get("rawLegsCut").asLong();
      HttpResponse<java.io.InputStream> response = plainsight.client(null).send(
          HttpRequest.newBuilder(URI.create(http.url("/bytes?n=" + (50L << 20)))).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      long received;
      try (java.io.InputStream body = response.body()) {
        received = body.transferTo(java.io.OutputStream.nullOutputStream());
      }
      assertEquals(50L << 20, received, "the download itself is whole");
      Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().contains("/bytes"));
      Path capture = download(plainsight, "/api/flows/" + flow.id() + "/pcap");
      long limit = LegIndex.DEFAULT_LIMIT;
      for (String payload : Tshark.read(capture, "-q", "-z", "conv,tcp").lines()
          .filter(line -> line.contains("<->")).toList()) {
        assertTrue(payload.contains("127.0.0.1"), payload);
      }
      List<String> lengths = Tshark.read(capture, "-T", "fields", "-e", "tcp.stream", "-e",
          "tcp.len").lines().toList();
      long[] perStream = new long[4];
      for (String line : lengths) {
        String[] parts = line.split("\t");
        perStream[Integer.parseInt(parts[0])] += Long.parseLong(parts[1]);
      }
      assertTrue(perStream[0] <= limit && perStream[1] <= limit, "kept per leg: "
          + perStream[0] + ", " + perStream[1]);
      assertTrue(perStream[0] > limit / 2 && perStream[1] > limit / 2, "the first bytes are kept");
      assertTrue(Files.size(capture) < 4 * limit, "the file: " + Files.size(capture));
      assertEquals("", Tshark.read(capture, "-Y", "tcp.flags.fin == 1 || tcp.flags.reset == 1"),
          "a cut leg stops without an ending");
      assertTrue(plainsight.api("/api/stats").json().get("rawLegsCut").asLong() >= before + 2,
          "both cut legs are counted in the stats");
    }
  }

  private static String formValue(Path file, String key) throws Exception {
    String out = Tshark.read(file, "-Y", "urlencoded-form.key == \"" + key + "\"", "-T",
        "fields", "-e", "urlencoded-form.key", "-e", "urlencoded-form.value");
    String[] parts = out.trim().lines().findFirst().orElse("").split("\t");
    List<String> keys = List.of(parts[0].split(","));
    return parts[1].split(",")[keys.indexOf(key)];
  }

  /** Each TCP stream starts with SYN, SYN-ACK, ACK; no analysis warnings; {@code legs} streams. */
  private static void assertWellFormed(Path file, int legs) throws Exception {
    List<String> lines = Tshark.read(file, "-T", "fields", "-e", "tcp.stream", "-e",
        "tcp.flags").lines().toList();
    Set<String> streams = new TreeSet<>();
    for (String line : lines) {
      streams.add(line.split("\t")[0]);
    }
    assertEquals(legs, streams.size(), "legs in " + file.getFileName() + ": " + lines);
    for (String stream : streams) {
      List<String> flags = lines.stream().filter(l -> l.startsWith(stream + "\t"))
          .map(l -> l.split("\t")[1]).limit(3).toList();
      assertEquals(List.of("0x0002", "0x0012", "0x0010"), flags, "stream " + stream);
    }
    assertEquals(List.of(), Tshark.tcpProblems(file));
  }

  private Path download(RunningPlainsight plainsight, String path) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + plainsight.app().dashboardPort() + path))
        .header("Authorization", "Bearer " + plainsight.app().token()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), path + ": " + new String(response.body()));
    assertTrue(response.headers().firstValue("Content-Type").orElse("")
        .startsWith("application/vnd.tcpdump.pcap"));
    assertTrue(response.headers().firstValue("Content-Disposition").orElse("")
        .matches("attachment; filename=plainsight-(flow|session)-\\d+(-sealed)?\\.pcapng"));
    Path file = Files.createTempFile(dir, "capture", ".pcapng");
    Files.write(file, response.body());
    return file;
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
