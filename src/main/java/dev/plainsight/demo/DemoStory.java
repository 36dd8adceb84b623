package dev.plainsight.demo;

import dev.plainsight.flow.FlowKind;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * Drives the demo story through a running proxy with built-in clients, against a {@link DemoSite}:
 * <ol type="a">
 *   <li>log in over plain HTTP: the password is in the clear ({@code http} flows);</li>
 *   <li>the same over HTTPS to {@code localhost}, which the proxy must tunnel (the caller puts
 *       {@code localhost} on the passthrough list); the client trusts the demo CA: only metadata
 *       ({@code https-tunnel});</li>
 *   <li>the same over HTTPS to {@code 127.0.0.1}, intercepted; the client trusts the Plainsight CA:
 *       the password shows again ({@code https-decrypted});</li>
 *   <li>HTTPS to {@code 127.0.0.1} from a client that trusts only the demo CA: it refuses the
 *       forged certificate ({@code https-rejected});</li>
 *   <li>one chat message over {@code wss://127.0.0.1}, intercepted.</li>
 * </ol>
 * Flows land in whatever session is current. A step that goes wrong is reported in its
 * {@link DemoStep} and the story goes on; nothing is thrown. Takes
 * one to three seconds, most of it the first TLS handshakes of the JVM. Behind {@code
 * --proxy-auth} every client sends the {@link ProxyLogin} (participant {@value
 * #DEMO_PARTICIPANT}); the JDK client sends Basic credentials on a CONNECT only when the JVM
 * runs with {@code jdk.http.auth.tunneling.disabledSchemes} empty, which {@code Main} sets.
 */
public final class DemoStory {
  public static final String USER = "alice";
  public static final String PASSWORD = "sunflower-42";
  public static final String FORM = "user=" + USER + "&password=" + PASSWORD;
  static final String CHAT_MESSAGE = "hello from the demo story";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  /** The participant name the demo's clients use behind {@code --proxy-auth}. */
  public static final String DEMO_PARTICIPANT = "demo";

  /** Proxy credentials for the demo's clients: a participant name and the room password. */
  public record ProxyLogin(String participant, String roomPassword) {
    String header() {
      return "Basic " + java.util.Base64.getEncoder().encodeToString(
          (participant + ":" + roomPassword).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "ProxyLogin[" + participant + "]";
    }
  }

  private final InetSocketAddress proxy;
  private final X509Certificate plainsightCa;
  private final DemoSite site;
  private final ProxyLogin login;
  /** Cookies of the intercepted HTTPS steps (c, e): the chat knows who logged in. */
  private final CookieManager httpsCookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

  private DemoStory(InetSocketAddress proxy, X509Certificate plainsightCa, DemoSite site,
      ProxyLogin login) {
    this.login = login;
    this.proxy = proxy;
    this.plainsightCa = plainsightCa;
    this.site = site;
  }

  /** Runs steps (a) to (e) in order through the proxy; returns them as they happened. */
  public static List<DemoStep> run(InetSocketAddress proxy, X509Certificate plainsightCa, DemoSite site) {
    return run(proxy, plainsightCa, site, null);
  }

  /** The same behind {@code --proxy-auth}: {@code login} null means no credentials. */
  public static List<DemoStep> run(InetSocketAddress proxy, X509Certificate plainsightCa,
      DemoSite site, ProxyLogin login) {
    DemoStory story = new DemoStory(reachable(proxy), plainsightCa, site, login);
    List<DemoStep> steps = new ArrayList<>();
    try {
      steps.add(story.plainHttp());
      steps.add(story.passedThrough());
      steps.add(story.intercepted());
      steps.add(story.refused());
      steps.add(story.chat());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(steps);
  }

  /** The steps as a short console guide. */
  public static String guide(List<DemoStep> steps) {
    StringBuilder text = new StringBuilder("The demo story ran through the proxy. Open the dashboard"
        + " and follow it step by step:\n\n");
    for (DemoStep step : steps) {
      text.append(step.describe()).append('\n');
    }
    return text.toString();
  }

  private DemoStep plainHttp() throws InterruptedException {
    String url = site.httpUrl("/login");
    String action = "GET " + url + ", then POST it with " + FORM + ", then GET /api/profile";
    String lookFor = "In POST /login the request body reads " + FORM + ": the password in clear,"
        + " as anyone on the path (the café Wi-Fi, this proxy) reads it. The response sets the "
        + DemoSite.SESSION_COOKIE + " cookie, and GET /api/profile sends it back: whoever copies"
        + " it can be " + USER + " without the password.";
    HttpClient client = client(null, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    try {
      send(client, HttpRequest.newBuilder(URI.create(url)).GET());
      HttpResponse<String> login = send(client, postForm(url));
      HttpResponse<String> profile = send(client,
          HttpRequest.newBuilder(URI.create(site.httpUrl("/api/profile"))).GET());
      boolean ok = welcomed(login) && profile.body().contains("\"loggedIn\":true");
      return new DemoStep("a", "Log in over plain HTTP", action, FlowKind.HTTP, ok,
          ok ? "200 \"Welcome, " + USER + "\" and a session cookie; the profile API knew " + USER
              + " from the cookie alone"
              : "the site answered " + login.statusCode() + " to the login and "
                  + profile.statusCode() + " to the profile",
          lookFor);
    } catch (IOException e) {
      return new DemoStep("a", "Log in over plain HTTP", action, FlowKind.HTTP, false,
          "failed: " + e, lookFor);
    }
  }

  private DemoStep passedThrough() {
    String url = site.httpsUrl("localhost", "/login");
    String action = "CONNECT localhost:" + site.httpsPort() + ", then TLS to the real server"
        + " (client trusts the demo site's CA), then POST " + url + " with " + FORM;
    String lookFor = "The CONNECT line and the TLS hellos name the host (localhost); the record"
        + " ladder shows sizes and timing. No path, no form, no password: that is all an"
        + " eavesdropper, or a proxy that does not intercept, ever sees of HTTPS.";
    String title = "The same over HTTPS, passed through";
    try {
      ConnectTunnel.Response response = ConnectTunnel.send(proxy, proxyAuthorization(), "localhost", site.httpsPort(),
          DemoCa.clientContextTrusting(site.demoCaCertificate()), "POST", "/login", FORM);
      boolean ok = response.status() == 200 && response.body().contains("Welcome, " + USER);
      return new DemoStep("b", title, action, FlowKind.HTTPS_TUNNEL, ok,
          ok ? "200 \"Welcome, " + USER + "\", end to end with the real server; the tunnel is closed"
              : "the site answered " + response.status(),
          lookFor);
    } catch (SSLHandshakeException e) {
      return new DemoStep("b", title, action, FlowKind.HTTPS_TUNNEL, false,
          "the client refused the certificate (" + shortReason(e) + "): is localhost on the"
              + " passthrough list? Without it the proxy intercepts instead of tunnelling", lookFor);
    } catch (IOException e) {
      return new DemoStep("b", title, action, FlowKind.HTTPS_TUNNEL, false, "failed: " + e, lookFor);
    }
  }

  private DemoStep intercepted() throws InterruptedException {
    String url = site.httpsUrl("127.0.0.1", "/login");
    String action = "POST " + url + " with " + FORM + " (client trusts the Plainsight CA)";
    String lookFor = "The password is readable again, decrypted, because this client trusts the"
        + " Plainsight CA. Compare the two certificates: the client was shown a leaf issued by the"
        + " Plainsight CA; the server's real one is issued by \"" + DemoCa.CA_NAME + "\".";
    String title = "The same over HTTPS, intercepted (CA trusted)";
    try {
      HttpClient client = client(DemoCa.clientContextTrusting(plainsightCa), httpsCookies);
      HttpResponse<String> login = send(client, postForm(url));
      boolean ok = welcomed(login);
      return new DemoStep("c", title, action, FlowKind.HTTPS_DECRYPTED, ok,
          ok ? "200 \"Welcome, " + USER + "\": the client never noticed the proxy"
              : "the site answered " + login.statusCode(),
          lookFor);
    } catch (IOException e) {
      return new DemoStep("c", title, action, FlowKind.HTTPS_DECRYPTED, false, "failed: " + e, lookFor);
    }
  }

  private DemoStep refused() {
    String url = site.httpsUrl("127.0.0.1", "/");
    String action = "GET " + url + " from a client that trusts only the demo site's CA, as a"
        + " device that never installed the Plainsight CA";
    String lookFor = "The client refused the forged certificate and sent nothing: the flow has"
        + " the alert it sent and no request. A browser shows its certificate warning here; on a"
        + " site with HSTS it offers no way past it.";
    String title = "HTTPS, CA not trusted: the client refuses";
    try {
      ConnectTunnel.Response response = ConnectTunnel.send(proxy, proxyAuthorization(), "127.0.0.1", site.httpsPort(),
          DemoCa.clientContextTrusting(site.demoCaCertificate()), "GET", "/", null);
      return new DemoStep("d", title, action, FlowKind.HTTPS_REJECTED, false,
          "the client accepted the connection (status " + response.status() + "): was it"
              + " intercepted at all?", lookFor);
    } catch (SSLHandshakeException e) {
      return new DemoStep("d", title, action, FlowKind.HTTPS_REJECTED, true,
          "refused during the TLS handshake: " + shortReason(e), lookFor);
    } catch (IOException e) {
      return new DemoStep("d", title, action, FlowKind.HTTPS_REJECTED, false, "failed: " + e, lookFor);
    }
  }

  private DemoStep chat() throws InterruptedException {
    String url = "wss://127.0.0.1:" + site.httpsPort() + "/chat";
    String action = "open " + url + " (client trusts the Plainsight CA), send \"" + CHAT_MESSAGE
        + "\", wait for the room to repeat it";
    String lookFor = "GET /chat answered 101 Switching Protocols, decrypted: from then on the"
        + " connection carries WebSocket messages, which the proxy reads like the rest.";
    String title = "A chat message over WebSocket (wss, intercepted)";
    CompletableFuture<String> echoed = new CompletableFuture<>();
    WebSocket socket = null;
    try {
      // a client of its own: the JDK would otherwise send the upgrade on step c's kept-alive
      // connection, which browsers never do (they open a new connection for each WebSocket)
      WebSocket.Builder builder = client(DemoCa.clientContextTrusting(plainsightCa), httpsCookies)
          .newWebSocketBuilder()
          .connectTimeout(TIMEOUT);
      if (login != null) {
        builder.header("Proxy-Authorization", login.header());
      }
      socket = builder
          .buildAsync(URI.create(url), new EchoListener(echoed))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      socket.sendText(CHAT_MESSAGE, true);
      String line = echoed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      return new DemoStep("e", title, action, FlowKind.HTTPS_DECRYPTED, true,
          "the room answered \"" + line + "\"", lookFor);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      return new DemoStep("e", title, action, FlowKind.HTTPS_DECRYPTED, false, "failed: " + cause, lookFor);
    } finally {
      if (socket != null) {
        socket.abort();
      }
    }
  }

  /** Collects text frames and completes with the first line that repeats the story's message. */
  private static final class EchoListener implements WebSocket.Listener {
    private final CompletableFuture<String> echoed;
    private final StringBuilder partial = new StringBuilder();

    EchoListener(CompletableFuture<String> echoed) {
      this.echoed = echoed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String line = partial.toString();
        partial.setLength(0);
        if (line.endsWith(": " + CHAT_MESSAGE)) {
          echoed.complete(line);
        }
      }
      socket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      echoed.completeExceptionally(error);
    }
  }

  private HttpClient client(SSLContext trust, CookieManager cookies) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .proxy(ProxySelector.of(proxy))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT)
        .cookieHandler(cookies);
    if (trust != null) {
      builder.sslContext(trust);
    }
    return builder.build();
  }

  private static HttpRequest.Builder postForm(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(FORM));
  }

  private HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    if (login != null) {
      request.header("Proxy-Authorization", login.header());
    }
    return client.send(request.timeout(TIMEOUT).header("User-Agent", "plainsight-demo").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String proxyAuthorization() {
    return login == null ? null : login.header();
  }

  private static boolean welcomed(HttpResponse<String> response) {
    return response.statusCode() == 200 && response.body().contains("Welcome, " + USER);
  }

  /** "PKIX path building failed" without the JDK's internal class names. */
  private static String shortReason(SSLHandshakeException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("PKIX path building failed")) {
      return "PKIX path building failed: no trusted CA signed the certificate it was shown";
    }
    return message;
  }

  /** A proxy bound to the wildcard address is reached on loopback. */
  private static InetSocketAddress reachable(InetSocketAddress proxy) {
    InetAddress address = proxy.getAddress();
    if (address != null && address.isAnyLocalAddress()) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getPort());
    }
    return proxy;
  }
}
