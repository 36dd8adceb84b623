package dev.plainsight.dashboard;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowFilter;
import dev.plainsight.flow.FlowPage;
import dev.plainsight.flow.FlowStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/flows} and {@code GET /api/flows/{id}}: the filtered list (see {@link
 * FlowFilterParams}) and one flow, each flow marked {@code background} from the current
 * {@link BackgroundHosts}. With {@code background=false} the list also says how many flows the
 * same filter hides as background ({@code backgroundHidden}). A participant link only ever gets
 * its own flows.
 */
final class FlowListRoutes {
  private FlowListRoutes() {}

  static void add(RoutesConfig routes, FlowStore store, BackgroundHosts background) {
    routes.get("/api/flows", ctx -> ctx.json(page(ctx, store, background)));
    routes.get("/api/flows/{id}", ctx -> {
      Flow flow = Dashboard.flow(ctx, store);
      ctx.json(background.mark(FlowJson.detail(flow), flow));
    });
  }

  private static Map<String, Object> page(Context ctx, FlowStore store,
      BackgroundHosts background) {
    FlowFilter filter = FlowFilterParams.parse(ctx::queryParam, background);
    Access access = Access.of(ctx);
    if (access.scoped()) {
      filter = filter.withParticipant(access.participant());
    }
    FlowPage page = store.query(filter, intParam(ctx, "limit", 100), intParam(ctx, "offset", 0));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("total", page.total());
    json.put("flows", page.flows().stream()
        .map(flow -> background.mark(FlowJson.summary(flow), flow)).toList());
    if (Boolean.FALSE.equals(filter.background())) {
      json.put("backgroundHidden", store.query(filter.withBackground(true), 1, 0).total());
    }
    return json;
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new BadRequestResponse(name + " must be a number");
    }
  }
}
