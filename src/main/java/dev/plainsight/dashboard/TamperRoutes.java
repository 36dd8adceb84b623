package dev.plainsight.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.tamper.TamperRules;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;

/**
 * The tamper rule routes: {@code GET /api/rules} lists them, {@code PUT /api/rules} replaces the
 * whole list (validated: a bad rule is a 400 naming it, and nothing changes).
 */
final class TamperRoutes {
  private TamperRoutes() {}

  static void add(RoutesConfig routes, TamperRules rules, ObjectMapper json) {
    routes.get("/api/rules", ctx -> ctx.json(TamperRules.toJson(rules.all())));
    routes.put("/api/rules", ctx -> {
      try {
        rules.replace(TamperRules.parse(json.readTree(ctx.body())));
      } catch (JsonProcessingException e) {
        throw new BadRequestResponse(JsonBodies.reason(e));
      } catch (IllegalArgumentException e) {
        throw new BadRequestResponse(e.getMessage());
      }
      ctx.json(TamperRules.toJson(rules.all()));
    });
  }
}
