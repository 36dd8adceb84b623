package dev.plainsight.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.plainsight.ca.RootCa;
import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.join.Room;
import dev.plainsight.net.ListenerAddresses;
import java.net.InetSocketAddress;
import dev.plainsight.flow.Body;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.StoreStats;
import dev.plainsight.replay.Replayer;
import dev.plainsight.tamper.TamperRules;
import dev.plainsight.tls.TlsObservation;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Handler;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard web app: every route in one place, built from its dependencies. Static files come
 * from {@code web/} on the classpath (the jar); the API needs the token; the participants' pages
 * and files ({@code /join}, {@code /ca}, {@code /ca.pem}, {@code /proxy.pac}, see {@link
 * JoinRoutes}) are public. Captured content is only ever served as JSON or as
 * {@code application/octet-stream}, never as a page.
 */
public final class Dashboard implements AutoCloseable {
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";

  /** What the dashboard serves, and where. */
  public record Settings(String listenHost, int port, String token, FlowStore store,
      RootCa ca, PassthroughPolicy passthrough, InetSocketAddress proxy, Path dataDir,
      TamperRules tamperRules, ProxyAuth proxyAuth, Room room) {}

  private final Javalin app;
  private final Settings settings;

  private final LiveUpdates live;

  private Dashboard(Javalin app, Settings settings, LiveUpdates live) {
    this.app = app;
    this.settings = settings;
    this.live = live;
  }

  public static Dashboard start(Settings settings) {
    return start(settings, new dev.plainsight.pcap.LegCaptures(dev.plainsight.pcap.LegIndex.off(),
        new dev.plainsight.keylog.SecretLines(1), settings.store()));
  }

  /** As {@link #start(Settings)}, exporting the connection legs {@code captures} keeps. */
  public static Dashboard start(Settings settings, dev.plainsight.pcap.LegCaptures captures) {
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .addMixIn(TlsObservation.class, HelloRoutes.WithoutHelloBytes.class);
    BackgroundHosts background = BackgroundHosts.load(settings.dataDir(), json);
    LiveUpdates live = new LiveUpdates(json, background);
    settings.store().addCommittedListener(live);
    Replayer replayer = new Replayer(settings.proxy(), settings.ca().certificate(),
        settings.proxyAuth().internalAuthorization());
    settings.store().addListener(replayer);
    Javalin[] started = new Javalin[1];
    ParticipantLinks links = ParticipantLinks.loadOrCreate(settings.dataDir());
    AccessGuard guard = new AccessGuard(settings.token(), hostNames(settings.listenHost()),
        () -> started[0].port(), links);
    WebAssets assets = new WebAssets();
    BodySender bodies = new BodySender();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.jetty.host = settings.listenHost();
      config.jetty.port = settings.port();
      config.routes.before(ctx -> {
        securityHeaders(ctx);
        guard.checkSameSite(ctx);
        if (ctx.path().startsWith("/api/") || ctx.queryParam("token") != null) {
          guard.checkToken(ctx).checkRoute(ctx);
        }
      });
      config.routes.exception(JsonProcessingException.class, (e, ctx) ->
          ctx.status(400).contentType("text/plain; charset=utf-8")
              .result(JsonBodies.reason(e)));
      FlowListRoutes.add(config.routes, settings.store(), background);
      ConnectionRoutes.add(config.routes, settings.store());
      BackgroundRoutes.add(config.routes, background, json);
      config.routes.get("/api/stats", ctx -> ctx.json(PcapRoutes.withCut(stats(settings.store()),
          captures, settings.store())));
      PcapRoutes.add(config.routes, settings.store(), captures);
      config.routes.get("/api/flows/{id}/request/body", ctx -> {
        Flow flow = flow(ctx, settings.store());
        if (flow.request() == null) {
          throw new NotFoundResponse("this flow has no request");
        }
        bodies.send(ctx, flow.request().body(), flow.request().headers());
      });
      config.routes.get("/api/flows/{id}/response/body", ctx -> {
        Flow flow = flow(ctx, settings.store());
        if (flow.response() == null) {
          throw new NotFoundResponse("this flow has no response");
        }
        bodies.send(ctx, flow.response().body(), flow.response().headers());
      });
      SessionRoutes.add(config.routes, settings.store(), json);
      ParticipantRoutes.add(config.routes, settings.store(), links, settings.listenHost());
      TamperRoutes.add(config.routes, settings.tamperRules(), json);
      ReplayRoutes.add(config.routes, settings.store(), replayer, json);
      HelloRoutes.add(config.routes, settings.store());
      WallRoutes.add(config.routes, settings.store(), guard, assets, json);
      // before-handlers do not run for WebSocket upgrades: the feed gets the same front door here
      config.routes.wsBeforeUpgrade("/api/updates", ctx -> {
        guard.checkSameSite(ctx);
        guard.checkToken(ctx);
      });
      config.routes.ws("/api/updates", ws -> {
        ws.onConnect(client -> {
          Optional<Access> access = guard.accessFor(client.header("Host"),
              client.queryParam("token"), client.cookie(AccessGuard.COOKIE));
          if (access.isEmpty()) {
            client.closeSession();
            return;
          }
          live.join(client, access.get());
        });
        ws.onMessage(message -> live.subscribe(message, message.message()));
        ws.onClose(live::leave);
        ws.onError(live::leave);
      });
      config.routes.get("/api/policy", ctx -> ctx.json(policy(settings.passthrough())));
      config.routes.put("/api/policy", ctx -> {
        PolicyBody body = json.readValue(ctx.body(), PolicyBody.class);
        if (body.passthrough() == null) {
          throw new BadRequestResponse("expected {\"passthrough\": [\"host glob\", ...]}");
        }
        settings.passthrough().replace(body.passthrough());
        ctx.json(policy(settings.passthrough()));
      });
      config.routes.get("/api/ca", ctx -> ctx.json(caFacts(settings.ca())));
      page(config.routes, "/ca.der", ctx -> ctx.contentType("application/x-x509-ca-cert")
          .header("Content-Disposition", "attachment; filename=\"plainsight-ca.der\"")
          .result(settings.ca().certificateDer()));
      page(config.routes, "/ca.pem", ctx -> ctx.contentType("application/x-pem-file")
          .header("Content-Disposition", "attachment; filename=\"plainsight-ca.pem\"")
          .result(settings.ca().certificatePem()));
      JoinRoutes.add(config.routes, settings.room(), settings.proxy());
      page(config.routes, "/", assets::serve);
      page(config.routes, "/<path>", assets::serve);
    });
    started[0] = app;
    refuseTakenPort(settings.listenHost(), settings.port());
    app.start();
    return new Dashboard(app, settings, live);
  }

  /** A page route: HEAD answers as GET does (status and headers), without the body. */
  private static void page(RoutesConfig routes, String path, Handler handler) {
    routes.get(path, handler);
    routes.head(path, handler);
  }

  public int port() {
    return app.port();
  }

  /** The URL to open, with the token that unlocks the API. */
  public String url() {
    String host = settings.listenHost();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port() + "/?token=" + settings.token();
  }

  @Override
  public void close() {
    app.stop();
    live.close();
  }

  /**
   * A taken port fails here, as a {@link BindException} naming it, before Javalin would log its
   * own error line about it (SPEC.md: a port in use is one line).
   */
  private static void refuseTakenPort(String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      BindException taken = new BindException("dashboard port " + port + " on " + host + ": " + e.getMessage());
      throw new UncheckedIOException(taken.getMessage(), taken);
    } catch (IOException e) {
      // not a taken port: let Javalin report it
    }
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-store");
  }

  private static Map<String, Object> stats(FlowStore store) {
    StoreStats stats = store.stats();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dropped", stats.dropped());
    json.put("bodiesNotKept", stats.bodiesNotKept());
    json.put("droppedByClient", stats.droppedByClient());
    json.put("paused", stats.paused());
    json.put("notCaptured", stats.notCaptured());
    json.put("failedWrites", stats.failedWrites());
    json.put("queued", stats.queued());
    json.put("dataBytes", stats.dataBytes());
    return json;
  }

  static Flow flow(Context ctx, FlowStore store) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("flow id must be a number");
    }
    Access access = Access.of(ctx);
    return store.find(id).filter(access::sees)
        .orElseThrow(() -> new NotFoundResponse("no flow " + id));
  }

  /** The body of {@code PUT /api/policy}. */
  record PolicyBody(List<String> passthrough) {}

  private static Map<String, Object> policy(PassthroughPolicy passthrough) {
    return Map.of("passthrough", passthrough.globs());
  }

  private static Map<String, Object> caFacts(RootCa ca) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", ca.certificate().getSubjectX500Principal().getName());
    json.put("sha256", ca.sha256Fingerprint());
    json.put("spkiSha256Base64", ca.spkiSha256Base64());
    json.put("notBefore", ca.certificate().getNotBefore().toInstant().toString());
    json.put("notAfter", ca.certificate().getNotAfter().toInstant().toString());
    return json;
  }

  private static Set<String> hostNames(String listenHost) {
    return ListenerAddresses.hostNames(listenHost);
  }
}
