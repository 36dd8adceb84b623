package dev.plainsight.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET/PUT /api/background}: the background host list as {@code {"hosts": [globs]}}. PUT
 * replaces the whole list (validated first: a malformed glob is a 400 naming it), keeps it in the
 * data directory and applies it at once to every flow. Trainer only ({@link Access}: participant
 * links may not reach it).
 */
final class BackgroundRoutes {
  private BackgroundRoutes() {}

  static void add(RoutesConfig routes, BackgroundHosts background, ObjectMapper json) {
    routes.get("/api/background", ctx -> ctx.json(Map.of("hosts", background.globs())));
    routes.put("/api/background", ctx -> {
      JsonNode hosts = json.readTree(ctx.body()).get("hosts");
      if (hosts == null || !hosts.isArray()) {
        throw new BadRequestResponse("expected {\"hosts\": [\"host glob\", ...]}");
      }
      List<String> globs = new ArrayList<>();
      for (JsonNode host : hosts) {
        if (!host.isTextual()) {
          throw new BadRequestResponse("each background host is a string (a host glob)");
        }
        globs.add(host.asText());
      }
      try {
        background.replace(globs);
      } catch (IllegalArgumentException e) {
        throw new BadRequestResponse("background hosts: " + e.getMessage());
      }
      ctx.json(Map.of("hosts", background.globs()));
    });
  }
}
