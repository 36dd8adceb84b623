package dev.plainsight.dashboard;

import dev.plainsight.capture.ParticipantName;
import dev.plainsight.flow.ParticipantCount;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.net.Authority;
import dev.plainsight.net.OwnAddresses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The participant routes ({@code --proxy-auth}): {@code GET /api/me} (who this dashboard speaks
 * for, so the page can show the read-only participant view), {@code GET /api/participants} (the
 * names seen in the flows, trainer only) and {@code POST /api/participants/{name}/link} (trainer
 * only: the read-only link that shows one participant their own flows).
 */
final class ParticipantRoutes {
  private ParticipantRoutes() {}

  static void add(RoutesConfig routes, FlowStore store, ParticipantLinks links,
      String listenHost) {
    routes.get("/api/me", ctx -> {
      Access access = Access.of(ctx);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("role", access.scoped() ? "participant" : "trainer");
      json.put("participant", access.participant());
      ctx.json(json);
    });
    routes.get("/api/participants", ctx -> ctx.json(store.participants().stream()
        .map(ParticipantRoutes::participant).toList()));
    routes.post("/api/participants/{name}/link", ctx -> {
      String name = ParticipantName.parse(ctx.pathParam("name")).orElseThrow(() ->
          new BadRequestResponse("not a participant name: 1 to " + ParticipantName.MAX_LENGTH
              + " printable characters, no colon"));
      String token;
      try {
        token = links.token(name);
      } catch (IllegalArgumentException reserved) {
        throw new BadRequestResponse(reserved.getMessage());
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("participant", name);
      json.put("token", token);
      json.put("url", "http://" + hostForLink(ctx, listenHost) + "/?token=" + token);
      if (isLoopback(listenHost)) {
        json.put("note", "the dashboard listens on " + listenHost + " only: start Plainsight "
            + "with --dashboard-listen 0.0.0.0 so participants can open this link");
      }
      ctx.json(json);
    });
  }

  private static Map<String, Object> participant(ParticipantCount seen) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", seen.name());
    json.put("flows", seen.flows());
    return json;
  }

  /**
   * The host:port participants can reach: the one the trainer used, unless that is loopback on a
   * dashboard open to the LAN, where a private address of this machine serves them better.
   */
  private static String hostForLink(Context ctx, String listenHost) {
    String host = ctx.header("Host");
    boolean wildcard = listenHost.equals("0.0.0.0") || listenHost.equals("::");
    if (host == null || !wildcard) {
      return host == null ? listenHost : host;
    }
    Authority.Parts parts = Authority.split(host);
    String name = parts.host();
    String port = parts.port() == null ? "" : ":" + parts.port();
    if (!name.equals("localhost") && !name.equals("127.0.0.1") && !name.equals("::1")) {
      return host;
    }
    return lanAddress().map(address -> address + port).orElse(host);
  }

  private static Optional<String> lanAddress() {
    return OwnAddresses.system().lanIpv4().map(InetAddress::getHostAddress);
  }

  private static boolean isLoopback(String listenHost) {
    return listenHost.equals("localhost") || listenHost.startsWith("127.")
        || listenHost.equals("::1");
  }
}
