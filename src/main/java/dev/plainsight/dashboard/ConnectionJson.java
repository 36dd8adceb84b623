package dev.plainsight.dashboard;

import dev.plainsight.flow.Connection;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowStore;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/connections/{id}}: one client connection with the ids of its flows. The trainer
 * sees every connection; a participant link only one whose flows are all theirs (else 404, as for
 * a flow that is not theirs).
 */
final class ConnectionJson {
  private ConnectionJson() {}

  static Map<String, Object> of(Context ctx, FlowStore store) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new BadRequestResponse("connection id must be a number");
    }
    Access access = Access.of(ctx);
    List<Flow> flows = store.connectionFlows(id);
    if (flows.isEmpty() || !flows.stream().allMatch(access::sees)) {
      throw new NotFoundResponse("no connection " + id);
    }
    return json(Connection.of(id, flows));
  }

  static Map<String, Object> json(Connection connection) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", connection.id());
    json.put("client", connection.client());
    json.put("openedAt", connection.openedAt() == null ? null : connection.openedAt().toString());
    json.put("connectTarget", connection.connectTarget());
    json.put("handling", connection.handling().wire());
    json.put("dns", connection.dns());
    json.put("clientSide", connection.clientSide());
    json.put("serverSide", connection.serverSide());
    json.put("flows", connection.flows());
    return json;
  }
}
