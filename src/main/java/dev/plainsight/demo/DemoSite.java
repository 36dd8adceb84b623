package dev.plainsight.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.ca.CaException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The built-in demo web site: the same pages over plain HTTP and over HTTPS, on 127.0.0.1. Its
 * certificate names {@link #LEAF_NAMES} and comes from the {@link DemoCa} in the directory given to
 * {@link #start}; Plainsight must trust that CA upstream ({@link #demoCaPem()}), learners need not.
 *
 * <p>Pages: {@code /} (what is here), {@code GET/POST /login} (any name and password; sets the
 * {@value #SESSION_COOKIE} cookie and says "Welcome, name"), {@code /session} (sets a guest session
 * cookie), {@code /api/profile} (JSON), {@code /logo.png}, {@code /chat} (the page, and the
 * WebSocket chat room on the same path). Sessions live in memory. No HSTS (it would stick to
 * the name in a browser and break the plain HTTP pages) and no CSP (the tamper demo injects into these pages).
 *
 * <p>Start with {@link #start}, stop with {@link #close}.
 */
public final class DemoSite implements AutoCloseable {
  /**
   * The name browsers use for the site. They never send localhost or 127.0.0.1 to a proxy, so the
   * proxy must resolve this name to 127.0.0.1 itself. It is one of {@link #LEAF_NAMES}, the
   * names in the site's certificate.
   */
  public static final String PUBLIC_NAME = "demo.plainsight.test";
  public static final List<String> LEAF_NAMES = List.of("localhost", "127.0.0.1", "::1", PUBLIC_NAME);
  public static final String SESSION_COOKIE = "demo_session";
  private static final String BIND_HOST = "127.0.0.1";
  private static final int MAX_SESSIONS = 10_000;
  private static final int MAX_NAME = 64;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin app;
  private final ServerConnector httpConnector;
  private final ServerConnector httpsConnector;
  private final DemoCa ca;
  private final DemoChat chat;
  private final Map<String, String> sessions = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX_SESSIONS;
        }
      });

  private DemoSite(Path demoCaDir, int httpPort, int httpsPort) throws CaException {
    this.ca = DemoCa.loadOrCreate(demoCaDir);
    refuseTakenPort("HTTP", httpPort);
    refuseTakenPort("HTTPS", httpsPort);
    SSLContext tls = ca.serverContext(LEAF_NAMES);
    byte[] logo = LogoPng.render();
    this.chat = new DemoChat(member -> userOr(member.cookie(SESSION_COOKIE), "guest"));
    ServerConnector[] connectors = new ServerConnector[2];
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.modifyServer(server -> {
        // Javalin adds no connector of its own once there is one: both are made here
        HttpConfiguration plain = new HttpConfiguration();
        plain.setSendServerVersion(false);
        connectors[0] = new ServerConnector(server, new HttpConnectionFactory(plain));
        HttpConfiguration secure = new HttpConfiguration(plain);
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false);
        customizer.setStsMaxAge(-1); // no HSTS: it would stick to localhost in the trainer's browser
        secure.addCustomizer(customizer);
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(tls);
        connectors[1] = new ServerConnector(server, new SslConnectionFactory(factory, "http/1.1"),
            new HttpConnectionFactory(secure));
        connectors[0].setPort(httpPort);
        connectors[1].setPort(httpsPort);
        for (ServerConnector connector : connectors) {
          connector.setHost(BIND_HOST);
          server.addConnector(connector);
        }
      });
      config.routes.before(ctx -> {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
      });
      config.routes.get("/", ctx -> html(ctx, DemoPages.home(secure(ctx))));
      config.routes.get("/login", ctx -> html(ctx, DemoPages.loginForm(secure(ctx), null)));
      config.routes.post("/login", this::login);
      config.routes.get("/session", this::session);
      config.routes.get("/api/profile", this::profile);
      config.routes.get("/logo.png", ctx -> ctx.contentType("image/png").result(logo));
      config.routes.get("/style.css", ctx -> ctx.contentType("text/css; charset=utf-8")
          .result(DemoPages.STYLE));
      config.routes.get("/chat.js", ctx -> ctx.contentType("text/javascript; charset=utf-8")
          .result(DemoPages.CHAT_SCRIPT));
      config.routes.get("/chat", ctx -> html(ctx, DemoPages.chat(secure(ctx))));
      config.routes.ws("/chat", chat::configure);
      config.routes.error(404, ctx -> html(ctx, DemoPages.notFound(secure(ctx))));
    });
    app.start();
    this.httpConnector = connectors[0];
    this.httpsConnector = connectors[1];
  }

  /** Starts the site on two free ports; the demo CA is loaded from or created in {@code demoCaDir}. */
  public static DemoSite start(Path demoCaDir) throws CaException {
    return start(demoCaDir, 0, 0);
  }

  /** Starts the site on the given ports (0: a free one). A taken port is an IllegalStateException naming it. */
  public static DemoSite start(Path demoCaDir, int httpPort, int httpsPort) throws CaException {
    return new DemoSite(demoCaDir, httpPort, httpsPort);
  }

  public int httpPort() {
    return httpConnector.getLocalPort();
  }

  public int httpsPort() {
    return httpsConnector.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT/path}. */
  public String httpUrl(String path) {
    return httpUrl(BIND_HOST, path);
  }

  /** {@code http://host:PORT/path}, e.g. with {@link #PUBLIC_NAME} for a browser. */
  public String httpUrl(String host, String path) {
    return "http://" + authority(host) + ":" + httpPort() + path;
  }

  /** {@code https://host:PORT/path} for one of {@link #LEAF_NAMES} (IPv6 put in brackets). */
  public String httpsUrl(String host, String path) {
    return "https://" + authority(host) + ":" + httpsPort() + path;
  }

  private static String authority(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The demo CA certificate (PEM), to pass to Plainsight as an extra upstream CA. */
  public Path demoCaPem() {
    return ca.certificatePath();
  }

  public X509Certificate demoCaCertificate() {
    return ca.certificate();
  }

  @Override
  public void close() {
    app.stop();
  }

  private void login(Context ctx) {
    String user = ctx.formParam("user");
    String password = ctx.formParam("password");
    if (user == null || user.isBlank() || password == null || password.isEmpty()) {
      ctx.status(400);
      html(ctx, DemoPages.loginForm(secure(ctx), "Type a name and a password (any will do)."));
      return;
    }
    user = user.strip();
    if (user.length() > MAX_NAME) {
      user = user.substring(0, MAX_NAME);
    }
    String id = newSession(user);
    setSessionCookie(ctx, id);
    html(ctx, DemoPages.welcome(secure(ctx), user, SESSION_COOKIE, id));
  }

  private void session(Context ctx) {
    String user = sessions.get(String.valueOf(ctx.cookie(SESSION_COOKIE)));
    boolean justSet = user == null;
    if (justSet) {
      user = "guest-" + HexFormat.of().formatHex(randomBytes(2));
      setSessionCookie(ctx, newSession(user));
    }
    html(ctx, DemoPages.session(secure(ctx), user, justSet, SESSION_COOKIE));
  }

  private void profile(Context ctx) throws JsonProcessingException {
    String user = sessions.get(String.valueOf(ctx.cookie(SESSION_COOKIE)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("loggedIn", user != null);
    if (user == null) {
      body.put("hint", "log in at /login first: your session cookie tells this API who you are");
    } else {
      body.put("user", user);
      body.put("email", user.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", ".") + "@sunflower.example");
      body.put("accountNumber", "DE00 1234 5678 9012 3456 78");
      body.put("balance", "1,234.56 EUR");
      body.put("lastLogin", "just now, from this browser");
      body.put("note", "a page fetches data like this in the background: it is never on screen,"
          + " but it crosses the network like everything else");
    }
    ctx.contentType("application/json").result(JSON.writeValueAsString(body));
  }

  private String newSession(String user) {
    String id = HexFormat.of().formatHex(randomBytes(16));
    sessions.put(id, user);
    return id;
  }

  private String userOr(String sessionId, String fallback) {
    String user = sessionId == null ? null : sessions.get(sessionId);
    return user == null ? fallback : user;
  }

  private static void setSessionCookie(Context ctx, String id) {
    ctx.header("Set-Cookie", SESSION_COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
  }

  private static boolean secure(Context ctx) {
    return ctx.req().isSecure();
  }

  private static void html(Context ctx, String page) {
    ctx.contentType("text/html; charset=utf-8").result(page);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void refuseTakenPort(String what, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(BIND_HOST), port));
    } catch (BindException e) {
      throw new IllegalStateException("the demo site's " + what + " port " + port + " on " + BIND_HOST
          + " is already in use: stop what uses it, or choose another port");
    } catch (IOException e) {
      // not a taken port: let Jetty report it
    }
  }
}
