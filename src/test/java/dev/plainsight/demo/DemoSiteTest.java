package dev.plainsight.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.ca.CaException;
import dev.plainsight.testing.Chromium;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo site on its own, reached directly (no proxy) by the JDK's client and by Chromium. */
class DemoSiteTest {
  @TempDir static Path dir;
  static DemoSite site;

  @BeforeAll
  static void start() throws Exception {
    site = DemoSite.start(dir.resolve("demo-ca"));
  }

  @AfterAll
  static void stop() {
    site.close();
  }

  @Test
  void theLoginPageIsAFormThatSaysItCameOverPlainHttp() throws Exception {
    HttpResponse<String> page = get(client(null), site.httpUrl("/login"));
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<form method=\"post\" action=\"/login\">"), page.body());
    assertTrue(page.body().contains("name=\"password\" type=\"password\""), page.body());
    assertTrue(page.body().contains("This page came over plain HTTP"), page.body());
  }

  @Test
  void loggingInWelcomesTheUserEscapedAndSetsAnHttpOnlySessionCookie() throws Exception {
    HttpResponse<String> welcome = client(null).send(HttpRequest.newBuilder(URI.create(site.httpUrl("/login")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("user=%3Cb%3Ebob%3C%2Fb%3E&password=x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, welcome.statusCode());
    assertTrue(welcome.body().contains("Welcome, &lt;b&gt;bob&lt;/b&gt;"), welcome.body());
    assertFalse(welcome.body().contains("<b>bob"), "the name is shown as text, never as HTML");
    String cookie = welcome.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.matches("demo_session=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax"), cookie);
    assertFalse(welcome.headers().firstValue("Strict-Transport-Security").isPresent());
  }

  @Test
  void aLoginWithoutAPasswordShowsTheFormAgainWithWhatIsMissing() throws Exception {
    HttpResponse<String> refused = client(null).send(HttpRequest.newBuilder(URI.create(site.httpUrl("/login")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("user=bob")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, refused.statusCode());
    assertTrue(refused.body().contains("Type a name and a password"), refused.body());
    assertFalse(refused.headers().firstValue("Set-Cookie").isPresent());
  }

  @Test
  void theProfileApiKnowsTheUserFromTheSessionCookieAlone() throws Exception {
    HttpClient browser = client(null);
    HttpResponse<String> anonymous = get(browser, site.httpUrl("/api/profile"));
    assertEquals("application/json", anonymous.headers().firstValue("Content-Type").orElse(""));
    assertTrue(anonymous.body().startsWith("{\"loggedIn\":false"), anonymous.body());

    browser.send(HttpRequest.newBuilder(URI.create(site.httpUrl("/login")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("user=Carol&password=x")).build(),
        HttpResponse.BodyHandlers.discarding());
    HttpResponse<String> profile = get(browser, site.httpUrl("/api/profile"));
    assertTrue(profile.body().startsWith("{\"loggedIn\":true,\"user\":\"Carol\""), profile.body());
    assertTrue(profile.body().contains("carol@sunflower.example"), profile.body());
  }

  @Test
  void theSessionPageSetsAGuestCookieOnceAndRecognisesItAfterwards() throws Exception {
    HttpClient browser = client(null);
    HttpResponse<String> first = get(browser, site.httpUrl("/session"));
    assertTrue(first.headers().firstValue("Set-Cookie").orElse("").startsWith("demo_session="));
    assertTrue(first.body().contains("just gave your browser a session cookie"), first.body());

    HttpResponse<String> again = get(browser, site.httpUrl("/session"));
    assertFalse(again.headers().firstValue("Set-Cookie").isPresent(), "no new cookie: it was sent back");
    assertTrue(again.body().contains("Your browser sent the session cookie"), again.body());
  }

  @Test
  void theLogoIsASixtyFourPixelPng() throws Exception {
    HttpResponse<byte[]> logo = client(null).send(HttpRequest.newBuilder(URI.create(site.httpUrl("/logo.png")))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("image/png", logo.headers().firstValue("Content-Type").orElse(""));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(logo.body()));
    assertEquals(64, image.getWidth());
    assertEquals(64, image.getHeight());
    assertEquals(0, image.getRGB(0, 0) >>> 24, "the corner is transparent");
    assertNotEquals(0, image.getRGB(32, 32) >>> 24, "the pupil is opaque");
  }

  @Test
  void httpsServesTheSamePagesUnderACertificateFromTheDemoCaForEachName() throws Exception {
    HttpClient trustsDemoCa = client(DemoCa.clientContextTrusting(site.demoCaCertificate()));
    for (String host : new String[] {"localhost", "127.0.0.1"}) {
      HttpResponse<String> page = get(trustsDemoCa, site.httpsUrl(host, "/login"));
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("This page came over HTTPS"), page.body());
      X509Certificate leaf = (X509Certificate) page.sslSession().orElseThrow().getPeerCertificates()[0];
      assertTrue(leaf.getIssuerX500Principal().getName().contains("CN=Demo Web Root CA"),
          leaf.getIssuerX500Principal().getName());
    }
    assertTrue(Files.readString(site.demoCaPem()).startsWith("-----BEGIN CERTIFICATE-----"));
  }

  @Test
  void theCertificateAlsoNamesThePublicNameBrowsersUseThroughTheProxy() throws Exception {
    SSLContext trustsDemoCa = DemoCa.clientContextTrusting(site.demoCaCertificate());
    try (Socket tcp = new Socket("127.0.0.1", site.httpsPort());
        SSLSocket tls = (SSLSocket) trustsDemoCa.getSocketFactory()
            .createSocket(tcp, DemoSite.PUBLIC_NAME, site.httpsPort(), true)) {
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      assertEquals("TLSv1.3", tls.getSession().getProtocol());
    }
  }

  @Test
  void theChatRepeatsEachMessageToEveryoneInTheRoom() throws Exception {
    Member first = Member.join("ws://127.0.0.1:" + site.httpPort() + "/chat");
    Member second = Member.join("ws://127.0.0.1:" + site.httpPort() + "/chat");
    assertEquals("* you joined the chat as guest", first.next());
    assertEquals("* you joined the chat as guest", second.next());

    first.socket.sendText("<i>hi</i> all", true).get(10, TimeUnit.SECONDS);
    assertEquals("guest: <i>hi</i> all", first.next());
    assertEquals("guest: <i>hi</i> all", second.next());
    first.socket.abort();
    second.socket.abort();
  }

  @Test
  void theDemoCaIsKeptAcrossStartsWithItsKeyOwnerOnly() throws Exception {
    Path caDir = dir.resolve("kept");
    X509Certificate firstCa;
    try (DemoSite first = DemoSite.start(caDir)) {
      firstCa = first.demoCaCertificate();
    }
    try (DemoSite second = DemoSite.start(caDir)) {
      assertArrayEquals(firstCa.getEncoded(), second.demoCaCertificate().getEncoded());
    }
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(caDir.resolve(DemoCa.KEY_FILE))));
  }

  @Test
  void halfADemoCaIsRefusedWithWhatToDo() throws Exception {
    Path caDir = Files.createDirectories(dir.resolve("half"));
    Files.writeString(caDir.resolve(DemoCa.CERT_FILE), "not a certificate");
    Exception e = assertThrows(CaException.class, () -> DemoSite.start(caDir));
    assertTrue(e.getMessage().contains("delete " + caDir), e.getMessage());
  }

  @Test
  void aTakenPortIsNamedInOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> DemoSite.start(dir.resolve("demo-ca"), taken.getLocalPort(), 0));
      assertTrue(e.getMessage().contains("HTTP port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"),
          e.getMessage());
    }
  }

  @Test
  void aRealBrowserRendersTheChatPageAndJoinsTheRoom() throws Exception {
    // waits in real time: a DOM dump's virtual time does not wait for WebSocket messages
    try (Chromium.Browser browser = Chromium.launch()) {
      Chromium.Page page = browser.open(site.httpUrl("/chat"));
      page.await("document.getElementById('status').textContent === 'connected'",
          Duration.ofSeconds(30));
      page.await("Array.from(document.querySelectorAll('li'))"
          + ".some(li => li.textContent === '* you joined the chat as guest')",
          Duration.ofSeconds(30));
    }
  }

  /** One chat member: the messages it received, in order. */
  private record Member(WebSocket socket, BlockingQueue<String> received) {
    static Member join(String url) throws Exception {
      var received = new LinkedBlockingQueue<String>();
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              received.add(data.toString());
              ws.request(1);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      return new Member(socket, received);
    }

    String next() throws InterruptedException {
      String message = received.poll(10, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no chat message within 10 s");
      }
      return message;
    }
  }

  private static HttpClient client(SSLContext tls) {
    HttpClient.Builder builder = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
