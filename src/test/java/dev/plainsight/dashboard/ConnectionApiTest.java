package dev.plainsight.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection is a record of its own, through a real Plainsight with real clients: requests on
 * one kept-alive connection share its id, another connection gets another, {@code
 * /api/connections/{id}} lists the flows and says how the connection was handled (intercepted,
 * plain, tunnel, refused), and a HAR export imported back keeps the grouping.
 */
class ConnectionApiTest {
  @TempDir static Path dir;
  static TestPki pki;
  static RunningPlainsight plainsight;
  static OriginServer https;
  static OriginServer http;
  static OriginServer tunnelled;
  static OriginServer refusing;

  @BeforeAll
  static void start() throws Exception {
    pki = TestPki.create("Connection CA");
    https = OriginServer.https(pki.issue("127.0.0.1").serverContext());
    http = OriginServer.http();
    tunnelled = OriginServer.https(pki.issue("localhost", "127.0.0.1").serverContext());
    refusing = OriginServer.https(pki.issue("127.0.0.1").serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"));
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    https.close();
    http.close();
    tunnelled.close();
    refusing.close();
  }

  private static Flow get(HttpClient client, String url) throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url);
    return plainsight.awaitFlow(f -> url.equals(f.url()));
  }

  @Test
  void requestsOnOneKeptAliveConnectionShareItAndTheApiListsThem() throws Exception {
    HttpClient client = plainsight.clientTrustingPlainsight();
    Flow first = get(client, https.url("/hello?keep=1"));
    Flow second = get(client, https.url("/hello?keep=2"));
    Flow other = get(plainsight.clientTrustingPlainsight(), https.url("/hello?keep=3"));
    assertEquals(FlowKind.HTTPS_DECRYPTED, first.kind());
    assertTrue(first.connection() != null && first.connection() > 0, "a connection id");
    assertEquals(first.connection(), second.connection(), "one kept-alive connection");
    assertNotEquals(first.connection(), other.connection(), "a new connection, a new id");

    plainsight.app().store().flush();
    JsonNode detail = plainsight.api("/api/flows/" + second.id()).json();
    assertEquals(first.connection().longValue(), detail.path("connection").asLong());
    assertFalse(detail.path("tls").isMissingNode(), "the connection's TLS facts, back");
    assertEquals(first.id(), detail.path("wire").path("connectionOpenedBy").asLong(),
        "the reused connection names the flow that opened it");
    assertTrue(detail.path("wire").path("clientSide").path("clientHello").isObject(),
        "the connection's ClientHello, from its record: " + detail.path("wire"));
    JsonNode listed = plainsight.api("/api/flows?limit=300").json().path("flows");
    boolean summaryHasIt = false;
    for (JsonNode flow : listed) {
      if (flow.path("id").asLong() == first.id()) {
        summaryHasIt = flow.path("connection").asLong() == first.connection();
      }
    }
    assertTrue(summaryHasIt, "the list's summary has the connection");

    RunningPlainsight.ApiResponse connection =
        plainsight.api("/api/connections/" + first.connection());
    assertEquals(200, connection.status(), connection.text());
    JsonNode c = connection.json();
    assertEquals(List.of(first.id(), second.id()), ids(c.path("flows")), c.toString());
    assertEquals("intercepted", c.path("handling").asText());
    assertEquals("127.0.0.1:" + https.port(), c.path("connectTarget").asText());
    assertEquals("127.0.0.1", c.path("clientAddress").asText());
    assertTrue(c.path("clientPort").asInt() > 0, c.toString());
    assertTrue(c.path("clientSide").path("clientHello").isObject(), c.toString());
    assertTrue(c.path("serverSide").path("serverHello").isObject(), c.toString());
    assertEquals(https.port(), c.path("upstream").path(0).path("serverPort").asInt(), c.toString());
    assertTrue(c.path("upstream").path(0).path("localPort").asInt() > 0, c.toString());
    assertEquals(List.of(other.id()),
        ids(plainsight.api("/api/connections/" + other.connection()).json().path("flows")));
    assertEquals(404, plainsight.api("/api/connections/999999").status());
    assertEquals(400, plainsight.api("/api/connections/x").status());
  }

  @Test
  void plainHttpKeepAliveSharesAPlainConnection() throws Exception {
    String a = http.url("/hello?plain=1");
    String b = http.url("/hello?plain=2");
    Curl.run("-s", "-x", plainsight.proxyUrl(), a, b);
    Flow first = plainsight.awaitFlow(f -> a.equals(f.url()));
    Flow second = plainsight.awaitFlow(f -> b.equals(f.url()));
    assertEquals(first.connection(), second.connection(), "curl reuses its connection");
    JsonNode c = awaitClosed(first.connection());
    assertEquals("plain", c.path("handling").asText());
    assertTrue(c.path("connectTarget").isNull(), c.toString());
    assertEquals(List.of(first.id(), second.id()), ids(c.path("flows")));
    assertEquals(1, c.path("upstream").size(), "one server connection, reused: " + c);
    assertEquals(http.port(), c.path("upstream").path(0).path("serverPort").asInt());
    assertTrue(c.path("upstream").path(0).path("localPort").asInt() > 0, c.toString());
    assertEquals("the client closed it", c.path("closeReason").asText(), "curl exited: " + c);
    JsonNode leg = awaitLegClosed(first.connection());
    assertEquals("Plainsight closed it", leg.path("closeReason").asText(),
        "its client gone, Plainsight closes the server connection: " + leg);
  }

  @Test
  void aServerThatEndsItsAnswerByClosingIsSaidToHaveClosedIt() throws Exception {
    try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Thread server = new Thread(() -> answerOnceThenClose(origin));
      server.start();
      String url = "http://127.0.0.1:" + origin.getLocalPort() + "/until-close";
      Curl.run("-s", "-x", plainsight.proxyUrl(), url);
      Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
      JsonNode leg = awaitLegClosed(flow.connection());
      assertEquals("the server closed it", leg.path("closeReason").asText(),
          "the answer had no length, the server's FIN ended it: " + leg);
      server.join(5000);
    }
  }

  /** An HTTP/1.1 answer without a length: its end is the server closing the connection. */
  private static void answerOnceThenClose(ServerSocket origin) {
    try (Socket s = origin.accept()) {
      byte[] buf = new byte[4096];
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int n = s.getInputStream().read(buf);
        if (n < 0) {
          return;
        }
        head.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
          + "goodbye\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aTunnelAndARefusedHandshakeHaveConnectionsHandledSo() throws Exception {
    String pkiCa = pki.writeCaPem(dir).toString();
    Curl.run("-s", "--cacert", pkiCa, "-x", plainsight.proxyUrl(),
        "https://localhost:" + tunnelled.port() + "/hello");
    Flow tunnel = plainsight.awaitFlow(
        f -> f.kind() == FlowKind.HTTPS_TUNNEL && f.port() == tunnelled.port());
    JsonNode t = awaitClosed(tunnel.connection());
    assertEquals("tunnel", t.path("handling").asText());
    assertEquals("localhost:" + tunnelled.port(), t.path("connectTarget").asText());
    assertEquals(List.of(tunnel.id()), ids(t.path("flows")));
    assertEquals(1, t.path("upstream").size(), "the tunnel's server connection: " + t);
    assertEquals(tunnelled.port(), t.path("upstream").path(0).path("serverPort").asInt());
    assertTrue(t.path("connectMs").isNumber(), "the tunnel's TCP connect, timed: " + t);

    try {
      plainsight.client(pki.clientContextTrusting(pki.caCertificate())).send(
          HttpRequest.newBuilder(URI.create(refusing.url("/"))).build(),
          HttpResponse.BodyHandlers.discarding());
      throw new AssertionError("the client accepted a certificate it does not trust");
    } catch (IOException expected) {
      // the refusal is the point
    }
    Flow refusal = plainsight.awaitFlow(
        f -> f.kind() == FlowKind.HTTPS_REJECTED && f.port() == refusing.port());
    JsonNode r = awaitClosed(refusal.connection());
    assertEquals("refused", r.path("handling").asText(), r.toString());
    assertFalse(r.path("tls").path("alert").asText().isEmpty(), r.toString());
    plainsight.app().store().flush();
    JsonNode stored = plainsight.api("/api/flows/" + refusal.id()).json();
    assertEquals(refusal.tls().alert(), stored.path("tls").path("alert").asText(),
        "the stored refusal shows its alert, from the connection's record");
  }

  @Test
  void aHarRoundTripKeepsTheGrouping() throws Exception {
    var started = plainsight.api("POST", "/api/sessions", "{\"name\": \"grouping\"}");
    assertEquals(201, started.status(), started.text());
    String session = started.json().path("id").asText();
    HttpClient client = plainsight.clientTrustingPlainsight();
    Flow a = get(client, https.url("/hello?har=a"));
    Flow b = get(client, https.url("/hello?har=b"));
    Flow c = get(plainsight.clientTrustingPlainsight(), https.url("/hello?har=c"));
    assertEquals(a.connection(), b.connection());
    plainsight.app().store().flush();

    RunningPlainsight.ApiResponse har =
        plainsight.api("GET", "/api/sessions/" + session + "/har", null);
    assertEquals(200, har.status());
    Map<String, String> byUrl = new HashMap<>();
    for (JsonNode entry : har.json().path("log").path("entries")) {
      assertTrue(entry.path("connection").isTextual(), "HAR 1.2: a string: " + entry);
      byUrl.put(entry.path("request").path("url").asText(), entry.path("connection").asText());
    }
    assertEquals(a.connection().toString(), byUrl.get(a.url()));
    assertEquals(byUrl.get(a.url()), byUrl.get(b.url()));
    assertNotEquals(byUrl.get(a.url()), byUrl.get(c.url()));

    var imported = plainsight.api("POST", "/api/sessions/import?name=regrouped", har.text());
    assertEquals(201, imported.status(), imported.text());
    String importedSession = imported.json().path("session").asText();
    Map<String, Long> connectionOf = new HashMap<>();
    List<Long> importedIds = new ArrayList<>();
    for (JsonNode flow : plainsight.api("/api/flows?session=" + importedSession).json()
        .path("flows")) {
      connectionOf.put(flow.path("url").asText(), flow.path("connection").asLong());
      importedIds.add(flow.path("id").asLong());
    }
    assertEquals(3, importedIds.size(), connectionOf.toString());
    assertEquals(connectionOf.get(a.url()), connectionOf.get(b.url()), "grouped as before");
    assertNotEquals(connectionOf.get(a.url()), connectionOf.get(c.url()));
    assertNotEquals(a.connection(), connectionOf.get(a.url()), "a connection of this store");
    JsonNode regrouped = plainsight.api("/api/connections/" + connectionOf.get(a.url())).json();
    assertEquals(2, regrouped.path("flows").size(), regrouped.toString());
    JsonNode original = plainsight.api("/api/flows/" + a.id()).json();
    long importedA = regrouped.path("flows").path(0).asLong();
    JsonNode copy = plainsight.api("/api/flows/" + importedA).json();
    assertEquals(original.path("tls"), copy.path("tls"), "the TLS facts come back");
    assertEquals(original.path("wire").path("clientSide"), copy.path("wire").path("clientSide"));
  }

  private static JsonNode awaitClosed(long connection) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      RunningPlainsight.ApiResponse r = plainsight.api("/api/connections/" + connection);
      last = r.json();
      if (r.status() == 200 && !last.path("closedAt").isNull()) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("connection " + connection + " did not close: " + last);
  }

  /** The connection's first server connection, once it has closed. */
  private static JsonNode awaitLegClosed(long connection) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      RunningPlainsight.ApiResponse r = plainsight.api("/api/connections/" + connection);
      last = r.status() == 200 ? r.json() : null;
      if (last != null && !last.path("upstream").path(0).path("closedAt").isMissingNode()
          && !last.path("upstream").path(0).path("closedAt").isNull()) {
        return last.path("upstream").path(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("connection " + connection + "'s server leg did not close: " + last);
  }

  private static List<Long> ids(JsonNode array) {
    List<Long> ids = new ArrayList<>();
    array.forEach(id -> ids.add(id.asLong()));
    return ids;
  }
}
