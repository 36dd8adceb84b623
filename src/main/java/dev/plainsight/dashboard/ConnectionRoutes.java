package dev.plainsight.dashboard;

import dev.plainsight.flow.Connection;
import dev.plainsight.flow.FlowStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.NotFoundResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/connections/{id}}: one client connection (see {@link Connection}) with the ids
 * of its flows, oldest first. A participant link gets only a connection one of whose flows is
 * theirs, listing only those flows; any other is "not found", as for flows.
 */
final class ConnectionRoutes {
  private ConnectionRoutes() {}

  static void add(RoutesConfig routes, FlowStore store) {
    routes.get("/api/connections/{id}", ctx -> {
      long id;
      try {
        id = Long.parseLong(ctx.pathParam("id"));
      } catch (NumberFormatException e) {
        throw new BadRequestResponse("connection id must be a number");
      }
      Access access = Access.of(ctx);
      Connection connection = store.findConnection(id)
          .orElseThrow(() -> new NotFoundResponse("no connection " + id));
      List<Long> flows = new ArrayList<>();
      for (long flowId : store.flowIdsOf(id)) {
        if (!access.scoped() || store.find(flowId).filter(access::sees).isPresent()) {
          flows.add(flowId);
        }
      }
      if (access.scoped() && flows.isEmpty()) {
        throw new NotFoundResponse("no connection " + id);
      }
      ctx.json(json(connection, flows));
    });
  }

  static Map<String, Object> json(Connection c, List<Long> flows) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", c.id());
    json.put("session", c.session());
    json.put("clientAddress", c.clientAddress());
    json.put("clientPort", c.clientPort());
    json.put("openedAt", c.openedAt() == null ? null : c.openedAt().toString());
    json.put("connectTarget", c.connectTarget());
    json.put("handling", c.handling().name().toLowerCase(java.util.Locale.ROOT));
    json.put("dns", c.dns());
    json.put("connectMs", c.connectMs());
    json.put("tls", c.tls() == null ? null : FlowJson.tlsOf(c.tls()));
    json.put("clientSide", c.clientSide());
    json.put("serverSide", c.serverSide());
    json.put("upstream", c.upstream().stream().map(ConnectionRoutes::leg).toList());
    json.put("closedAt", c.closedAt() == null ? null : c.closedAt().toString());
    json.put("closeReason", c.closeReason());
    json.put("flowsNotStored", c.flowsNotStored());
    json.put("flows", flows);
    return json;
  }

  private static Map<String, Object> leg(Connection.Leg leg) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("serverAddress", leg.serverAddress());
    json.put("serverPort", leg.serverPort());
    json.put("localPort", leg.localPort());
    json.put("openedAt", leg.openedAt() == null ? null : leg.openedAt().toString());
    json.put("connectMs", leg.connectMs());
    json.put("closedAt", leg.closedAt() == null ? null : leg.closedAt().toString());
    json.put("closeReason", leg.closeReason());
    return json;
  }
}
