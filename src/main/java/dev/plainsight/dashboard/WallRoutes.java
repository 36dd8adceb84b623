package dev.plainsight.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowListener;
import dev.plainsight.flow.FlowStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.websocket.WsContext;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wall of sheep, for the trainer only (a participant link gets 403 everywhere here): the page
 * {@code /wall}, {@code GET /api/secrets?session=} (masked, see {@link SecretWall}), {@code GET
 * /api/wall}, {@code PUT /api/wall} {@code {"paused": bool}}, {@code POST /api/wall/clear}, and
 * the WebSocket {@code /api/wall/updates}, which carries only {@code {"changed": true}} nudges
 * (after each flow, pause or clear) so the page fetches the masked list again: the dashboard's
 * own feed carries whole URLs, which would put unmasked keys into the projector's browser.
 */
final class WallRoutes {
  private WallRoutes() {}

  static void add(RoutesConfig routes, FlowStore store, AccessGuard guard, WebAssets assets,
      ObjectMapper json) {
    SecretWall wall = new SecretWall(store);
    Nudges nudges = new Nudges();
    store.addListener(nudges);
    for (String path : new String[] {"/wall", "/wall.html"}) {
      routes.get(path, ctx -> {
        trainer(ctx, guard);
        assets.serve(ctx, "/wall.html");
      });
    }
    routes.get("/api/secrets", ctx -> {
      trainer(ctx, guard);
      ctx.json(wall.secrets(ctx.queryParam("session")));
    });
    routes.get("/api/wall", ctx -> {
      trainer(ctx, guard);
      ctx.json(wall.state());
    });
    routes.put("/api/wall", ctx -> {
      trainer(ctx, guard);
      PauseBody body = json.readValue(ctx.body(), PauseBody.class);
      if (body.paused() == null) {
        throw new BadRequestResponse("expected {\"paused\": true} or {\"paused\": false}");
      }
      wall.pause(body.paused());
      nudges.send();
      ctx.json(wall.state());
    });
    routes.post("/api/wall/clear", ctx -> {
      trainer(ctx, guard);
      wall.clear();
      nudges.send();
      ctx.json(wall.state());
    });
    routes.wsBeforeUpgrade("/api/wall/updates", ctx -> {
      guard.checkSameSite(ctx);
      if (guard.checkToken(ctx).scoped()) {
        throw new ForbiddenResponse("the wall is the trainer's");
      }
    });
    routes.ws("/api/wall/updates", ws -> {
      ws.onConnect(client -> {
        Optional<Access> access = guard.accessFor(client.header("Host"),
            client.queryParam("token"), client.cookie(AccessGuard.COOKIE));
        if (access.isEmpty() || access.get().scoped()) {
          client.closeSession();
          return;
        }
        nudges.clients.add(client);
      });
      ws.onClose(nudges.clients::remove);
      ws.onError(nudges.clients::remove);
    });
  }

  /** The trainer's token, or 401 (none) / 403 (a participant link). */
  private static void trainer(Context ctx, AccessGuard guard) {
    Access access = ctx.queryParam("token") != null ? Access.of(ctx) : guard.checkToken(ctx);
    if (access.scoped()) {
      throw new ForbiddenResponse("the wall is the trainer's: a participant link does not show it");
    }
  }

  /** The body of {@code PUT /api/wall}. */
  record PauseBody(Boolean paused) {}

  /** Tells every open wall that something changed; sending is asynchronous in Jetty. */
  private static final class Nudges implements FlowListener {
    final Set<WsContext> clients = ConcurrentHashMap.newKeySet();

    @Override
    public void flowAdded(Flow flow) {
      if (flow.kind() != FlowKind.ERROR) {
        send();
      }
    }

    void send() {
      for (WsContext client : clients) {
        try {
          client.send("{\"changed\":true}");
        } catch (RuntimeException gone) {
          clients.remove(client);
        }
      }
    }
  }
}
