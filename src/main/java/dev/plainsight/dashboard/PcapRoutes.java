package dev.plainsight.dashboard;

import dev.plainsight.flow.Flow;
import dev.plainsight.pcap.LegCaptures;
import dev.plainsight.pcap.LegRecorder;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.StoredSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/flows/{id}/pcap} and {@code GET /api/sessions/{id}/pcap}: pcapng of every leg of
 * the client connections of that flow or session, with the TLS secrets of those legs in a
 * Decryption Secrets Block, or without them ({@code ?secrets=false}: the eavesdropper's copy). A
 * trainer only: legs are found by client address and time, so a participant's flow could pick up
 * another device's leg behind the same address (participant links get 403). 404
 * when no leg of the flow is kept (raw capture off, or the legs already forgotten).
 */
final class PcapRoutes {
  static final String MEDIA_TYPE = "application/vnd.tcpdump.pcap";

  private PcapRoutes() {}

  static void add(RoutesConfig routes, FlowStore store, LegCaptures captures) {
    routes.get("/api/flows/{id}/pcap", ctx -> {
      Flow flow = Dashboard.flow(ctx, store);
      LegRecorder leg = clientLeg(captures, flow);
      if (leg == null) {
        throw new NotFoundResponse("the connection of flow " + flow.id() + " is not kept: "
            + "raw capture is off (--raw-limit 0) or it is too old");
      }
      send(ctx, captures, Set.of(leg), "plainsight-flow-" + flow.id() + ".pcapng",
          "Flow " + flow.id() + ".");
    });
    routes.get("/api/sessions/{id}/pcap", ctx -> {
      String id = ctx.pathParam("id");
      StoredSession session = store.sessions().find(id)
          .orElseThrow(() -> new NotFoundResponse("no session " + id));
      store.flush();
      Set<LegRecorder> legs = new LinkedHashSet<>();
      store.forEachFlow(session.id(), flow -> {
        LegRecorder leg = clientLeg(captures, flow);
        if (leg != null) {
          legs.add(leg);
        }
      });
      send(ctx, captures, legs, "plainsight-session-" + session.id() + ".pcapng",
          "Session " + session.name() + ".");
    });
  }

  static Map<String, Object> withCut(Map<String, Object> stats, LegCaptures captures) {
    stats.put("rawLegsCut", captures.index().cutLegs());
    return stats;
  }

  private static LegRecorder clientLeg(LegCaptures captures, Flow flow) {
    if (flow.client() == null || flow.startedAt() == null) {
      return null;
    }
    return captures.index().clientLegOf(flow.client(), flow.startedAt());
  }

  private static void send(Context ctx, LegCaptures captures, Set<LegRecorder> legs,
      String fileName, String comment) throws IOException {
    boolean secrets = !"false".equals(ctx.queryParam("secrets"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    captures.capture(legs, secrets, comment).write(out);
    ctx.contentType(MEDIA_TYPE)
        .header("Content-Disposition", "attachment; filename=" + (secrets ? fileName
            : fileName.replace(".pcapng", "-sealed.pcapng")))
        .result(out.toByteArray());
  }
}
