package dev.plainsight.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.WebSocketMessage;
import dev.plainsight.testing.Firefox;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.WebSocketOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firefox ESR, the browser the workshop guide recommends, set up as a participant would (proxy in
 * the profile, Plainsight's CA imported with certutil or not at all): plain HTTP, decrypted HTTPS,
 * a refused forged certificate and a {@code wss://} chat each become the right flow. Its own
 * background services are off, so every flow is one the test caused: any other host fails it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirefoxThroughProxyTest {
  @TempDir static Path dir;
  private TestPki pki;
  private OriginServer http;
  private OriginServer https;
  private WebSocketOrigin chat;
  private RunningPlainsight plainsight;

  @BeforeAll
  void start() {
    pki = TestPki.create("Firefox test origin CA");
    TestPki.ServerIdentity origin = pki.issue("127.0.0.1", "localhost");
    http = OriginServer.http();
    https = OriginServer.https(origin.serverContext());
    chat = WebSocketOrigin.tls(origin.serverContext());
    plainsight = RunningPlainsight.start(dir, pki, List.of());
  }

  @AfterAll
  void stop() {
    plainsight.close();
    chat.close();
    https.close();
    http.close();
  }

  @Test
  void aFirefoxThatTrustsTheCaIsReadInFullOverHttpHttpsAndWss() throws Exception {
    String plainUrl = "http://127.0.0.1:" + http.port() + "/hello";
    String secureUrl = "https://127.0.0.1:" + https.port() + "/hello";
    try (Firefox firefox = Firefox.launchThroughProxy(plainsight.proxyPort(), plainsight.caPem())) {
      assertNull(firefox.navigate(plainUrl), "the plain page loads");
      assertEquals("hello from the origin", firefox.evaluate("document.body.textContent.trim()")
          .asText());
      Flow plain = plainsight.awaitFlow(f -> plainUrl.equals(f.url()));
      assertEquals(FlowKind.HTTP, plain.kind());
      assertEquals(200, plain.status());
      assertTrue(plain.request().headers().stream()
          .anyMatch(h -> h.name().equalsIgnoreCase("user-agent") && h.value().contains("Firefox")),
          "the request came from Firefox");

      assertNull(firefox.navigate(secureUrl), "the forged certificate is trusted");
      assertEquals("hello from the origin", firefox.evaluate("document.body.textContent.trim()")
          .asText());
      Flow secure = plainsight.awaitFlow(f -> secureUrl.equals(f.url()));
      assertEquals(FlowKind.HTTPS_DECRYPTED, secure.kind());
      assertEquals(200, secure.status());

      String chatUrl = "wss://127.0.0.1:" + chat.tlsPort() + "/chat";
      String echo = firefox.evaluate("new Promise((resolve, reject) => {"
          + " const ws = new WebSocket('" + chatUrl + "');"
          + " ws.onopen = () => ws.send('hello from firefox');"
          + " ws.onmessage = (m) => { resolve(m.data); ws.close(); };"
          + " ws.onerror = () => reject(new Error('websocket failed'));"
          + " setTimeout(() => reject(new Error('no echo within 20 s')), 20000); })").asText();
      assertEquals("echo: hello from firefox", echo);
      Flow socket = plainsight.awaitFlow(f -> f.url() != null && f.url().startsWith(
          "https://127.0.0.1:" + chat.tlsPort() + "/chat") && f.messages().stream()
          .anyMatch(m -> m.fromClient() && "hello from firefox".equals(text(m))));
      assertEquals(FlowKind.HTTPS_DECRYPTED, socket.kind());
      assertEquals(101, socket.status());
    }
    assertOnlyTheTestsOwnHosts();
  }

  @Test
  void aFirefoxThatDoesNotTrustTheCaRefusesTheForgedCertificate() throws Exception {
    String secureUrl = "https://localhost:" + https.port() + "/hello";
    try (Firefox firefox = Firefox.launchThroughProxy(plainsight.proxyPort(), null)) {
      String failure = firefox.navigate(secureUrl);
      assertNotNull(failure, "Firefox must not load a page signed by a CA it does not know");
      Flow refused = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
          && "localhost".equals(f.host()) && f.port() == https.port());
      assertNotNull(refused.error(), "the refusal says why");
      assertTrue(plainsight.app().store().query(FlowQuery.all()).flows().stream()
          .noneMatch(f -> secureUrl.equals(f.url())), "nothing was decrypted: " + failure);
    }
    assertOnlyTheTestsOwnHosts();
  }

  private void assertOnlyTheTestsOwnHosts() {
    Set<String> hosts = plainsight.app().store().query(FlowQuery.all()).flows().stream()
        .map(Flow::host).collect(Collectors.toCollection(java.util.TreeSet::new));
    assertTrue(Set.of("127.0.0.1", "localhost").containsAll(hosts),
        "Firefox sent its own background traffic through the proxy (turn it off in the "
            + "profile): " + hosts);
  }

  private static String text(WebSocketMessage message) {
    return new String(message.payload(), StandardCharsets.UTF_8);
  }
}
