package dev.plainsight.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.store.HarExporter;
import dev.plainsight.store.HarFormatException;
import dev.plainsight.store.HarImportResult;
import dev.plainsight.store.HarImporter;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.StoredSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The capture-session routes: list, start, rename, delete, export as HAR, import a HAR. Sessions
 * are addressed by their stable id; names are labels.
 */
final class SessionRoutes {
  private SessionRoutes() {}

  static void add(RoutesConfig routes, FlowStore store, ObjectMapper json) {
    routes.get("/api/sessions", ctx -> ctx.json(
        store.sessions().list().stream().map(SessionRoutes::session).toList()));
    routes.post("/api/sessions", ctx -> {
      StoredSession started = store.sessions().start(name(ctx, json));
      ctx.status(201).json(session(started));
    });
    routes.patch("/api/sessions/{id}", ctx -> {
      String name = name(ctx, json);
      if (name == null) {
        throw new BadRequestResponse("expected {\"name\": \"new name\"}");
      }
      try {
        ctx.json(session(store.sessions().rename(existing(ctx, store).id(), name)));
      } catch (IllegalArgumentException taken) {
        throw new ConflictResponse(taken.getMessage());
      }
    });
    routes.delete("/api/sessions/{id}", ctx -> {
      StoredSession session = existing(ctx, store);
      if (session.current()) {
        throw new ConflictResponse("the current session cannot be deleted: start another first");
      }
      store.sessions().delete(session.id());
      ctx.status(204);
    });
    routes.get("/api/sessions/{id}/har", ctx -> {
      StoredSession session = existing(ctx, store);
      ByteArrayOutputStream har = new ByteArrayOutputStream();
      new HarExporter(store, "0.1").export(session.id(), har);
      ctx.contentType("application/json")
          .header("Content-Disposition", "attachment; filename=\"plainsight-session-"
              + session.id() + ".har\"")
          .result(har.toByteArray());
    });
    routes.post("/api/sessions/import", ctx -> {
      try {
        HarImportResult result = new HarImporter(store).importHar(ctx.bodyInputStream(),
            ctx.queryParam("name"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("session", result.session().id());
        answer.put("name", result.session().name());
        answer.put("imported", result.flows());
        answer.put("creator", result.creator());
        ctx.status(201).json(answer);
      } catch (HarFormatException bad) {
        throw new BadRequestResponse("not a HAR file Plainsight can read: " + bad.getMessage());
      }
    });
  }

  private static StoredSession existing(Context ctx, FlowStore store) {
    String id = ctx.pathParam("id");
    return store.sessions().find(id)
        .orElseThrow(() -> new NotFoundResponse("no session " + id));
  }

  private static String name(Context ctx, ObjectMapper json) {
    String fromQuery = ctx.queryParam("name");
    if (fromQuery != null) {
      return fromQuery;
    }
    JsonNode body = JsonBodies.object(ctx, json, "{\"name\": \"session name\"}");
    JsonNode name = body == null ? null : body.get("name");
    return name == null || name.isNull() ? null : name.asText();
  }

  private static Map<String, Object> session(StoredSession session) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", session.id());
    json.put("name", session.name());
    json.put("startedAt", session.startedAt().toString());
    json.put("current", session.current());
    json.put("flows", session.flowCount());
    json.put("bytes", session.trafficBytes());
    json.put("storedBytes", session.storedBytes());
    return json;
  }
}
