package dev.plainsight.dashboard;

import dev.plainsight.join.JoinFiles;
import dev.plainsight.join.QrPng;
import dev.plainsight.join.Room;
import dev.plainsight.net.Authority;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.NotFoundResponse;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routes for joining the room. Trainer only (the API's token, refused to participant links):
 * {@code GET /api/join}, the addresses to hand out ({@code {"proxy", "pac", "page"}}, and {@code
 * note} when the room cannot reach them), and {@code GET /api/join/qr.png}, a QR code of {@code
 * page} for phones. Public, with HEAD as GET: the participants' page ({@code /join}, {@code /ca})
 * and its files ({@link JoinFiles}: the PAC file, the demo site's CA), each written for the
 * address the client used to reach the dashboard.
 */
final class JoinRoutes {
  private JoinRoutes() {}

  static void add(RoutesConfig routes, Room room, InetSocketAddress proxy) {
    routes.get("/api/join", ctx -> ctx.json(addresses(room.addresses())));
    routes.get("/api/join/qr.png", ctx -> ctx.contentType("image/png")
        .result(QrPng.of(room.addresses().page(), 8)));
    for (String path : new String[] {"/join", "/ca", "/proxy.pac", "/demo-ca.pem", "/demo-ca.der"}) {
      Handler handler = ctx -> serve(ctx, room, proxy);
      routes.get(path, handler);
      routes.head(path, handler);
    }
  }

  private static void serve(Context ctx, Room room, InetSocketAddress proxy) {
    String proxyHost = proxyHostFor(ctx, proxy);
    JoinFiles.File file = JoinFiles.find(room, ctx.path(), proxyHost, proxy.getPort(),
            "http://" + ctx.host() + "/proxy.pac")
        .orElseThrow(() -> new NotFoundResponse("not offered by this Plainsight: " + ctx.path()));
    ctx.contentType(file.contentType());
    if (file.downloadName() != null) {
      ctx.header("Content-Disposition", "attachment; filename=\"" + file.downloadName() + "\"");
    }
    ctx.result(file.bytes());
  }

  private static Map<String, Object> addresses(Room.Addresses addresses) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("proxy", addresses.proxy());
    json.put("pac", addresses.pac());
    json.put("page", addresses.page());
    if (addresses.note() != null) {
      json.put("note", addresses.note());
    }
    return json;
  }

  /** The proxy's address as this client can reach it: the host it used for the dashboard. */
  private static String proxyHostFor(Context ctx, InetSocketAddress proxy) {
    String bound = proxy.getAddress().getHostAddress();
    if (!proxy.getAddress().isAnyLocalAddress()) {
      return bound;
    }
    String host = ctx.host() == null ? "127.0.0.1" : ctx.host();
    return Authority.split(host).host();
  }
}
