package dev.plainsight.dashboard;

import dev.plainsight.flow.Flow;
import dev.plainsight.pcap.LegCaptures;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.StoredSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/flows/{id}/pcap} and {@code GET /api/sessions/{id}/pcap}: pcapng of every leg of
 * the client connections of that flow or session, with the TLS secrets of those legs in a
 * Decryption Secrets Block, or without them ({@code ?secrets=false}: the eavesdropper's copy). Legs
 * are found by the flow's connection id. A participant link gets the capture of its own flow only
 * when the whole connection is theirs: closed, every flow on it theirs and none dropped (a
 * kept-alive connection may carry another participant's requests, whose bytes are in the same
 * legs); otherwise 403. Session captures are the trainer's. 404 when no leg of the flow is kept (raw
 * capture off, or the connection's legs neither held in memory nor stored).
 */
final class PcapRoutes {
  static final String MEDIA_TYPE = "application/vnd.tcpdump.pcap";

  private PcapRoutes() {}

  static void add(RoutesConfig routes, FlowStore store, LegCaptures captures) {
    routes.get("/api/flows/{id}/pcap", ctx -> {
      Flow flow = Dashboard.flow(ctx, store);
      if (Access.of(ctx).scoped() && !wholeConnectionSeen(store, flow, Access.of(ctx))) {
        throw new ForbiddenResponse("flow " + flow.id() + "'s connection is still open or also "
            + "carried someone else's requests: its capture is the trainer's");
      }
      if (flow.connection() == null || !captures.has(flow.connection())) {
        throw new NotFoundResponse("the connection of flow " + flow.id() + " is not kept: "
            + "raw capture is off (--raw-limit 0) or it is too old");
      }
      send(ctx, captures, List.of(flow.connection()), "plainsight-flow-" + flow.id() + ".pcapng",
          "Flow " + flow.id() + ".");
    });
    routes.get("/api/sessions/{id}/pcap", ctx -> {
      if (Access.of(ctx).scoped()) {
        throw new ForbiddenResponse("a session's capture is the trainer's");
      }
      String id = ctx.pathParam("id");
      StoredSession session = store.sessions().find(id)
          .orElseThrow(() -> new NotFoundResponse("no session " + id));
      store.flush();
      Set<Long> connections = new LinkedHashSet<>();
      store.forEachFlow(session.id(), flow -> {
        if (flow.connection() != null) {
          connections.add(flow.connection());
        }
      });
      send(ctx, captures, connections, "plainsight-session-" + session.id() + ".pcapng",
          "Session " + session.name() + ".");
    });
  }

  /** {@code rawLegsCut}: legs that reached the limit; {@code rawLegsNotStored}: connections
   * whose legs the store's queue had no room for. */
  static Map<String, Object> withCut(Map<String, Object> stats, LegCaptures captures,
      FlowStore store) {
    stats.put("rawLegsCut", captures.index().cutLegs());
    stats.put("rawLegsNotStored", store.rawLegsNotStored());
    return stats;
  }

  /**
   * Whether the flow's connection is closed, every flow on it is one {@code access} sees, and
   * none was lost (a dropped flow's bytes are in the legs with no flow to say whose they are).
   */
  private static boolean wholeConnectionSeen(FlowStore store, Flow flow, Access access) {
    if (flow.connection() == null) {
      return false;
    }
    store.flush();
    boolean closed = store.findConnection(flow.connection())
        .map(c -> c.closedAt() != null && c.flowsNotStored() == 0).orElse(false);
    return closed && store.flowIdsOf(flow.connection()).stream()
        .allMatch(id -> store.find(id).filter(access::sees).isPresent());
  }

  private static void send(Context ctx, LegCaptures captures, Collection<Long> connections,
      String fileName, String comment) throws IOException {
    boolean secrets = !"false".equals(ctx.queryParam("secrets"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    captures.capture(connections, secrets, comment).write(out);
    ctx.contentType(MEDIA_TYPE)
        .header("Content-Disposition", "attachment; filename=" + (secrets ? fileName
            : fileName.replace(".pcapng", "-sealed.pcapng")))
        .result(out.toByteArray());
  }
}
