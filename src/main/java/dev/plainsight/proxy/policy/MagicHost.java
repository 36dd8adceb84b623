package dev.plainsight.proxy.policy;

import dev.plainsight.flow.Header;
import dev.plainsight.join.JoinFiles;
import dev.plainsight.join.Room;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code http://plainsight/}, answered by the proxy itself (never forwarded, never the
 * dashboard), as mitmproxy answers mitm.it: a browser that already uses the proxy gets the
 * participants' page, the CA certificate and the PAC file there ({@link JoinFiles}). Only plain
 * HTTP: no certificate could be trusted for it yet. A decider that answers ({@link
 * Verdict.Answer}) plain requests for the name {@link #NAME}.
 */
public final class MagicHost implements Decider {
  public static final String NAME = "plainsight";

  private final Room room;

  public MagicHost(Room room) {
    this.room = room;
  }

  public static boolean isFor(String host) {
    return host != null && host.toLowerCase(Locale.ROOT).equals(NAME);
  }

  @Override
  public Verdict decide(Request request) {
    boolean plain = request.kind() == Request.Kind.PLAIN
        || request.kind() == Request.Kind.INSIDE_PLAIN_CONNECT;
    return plain && isFor(request.host()) ? answer(request) : Verdict.PASS;
  }

  /** The answer to a request for the magic host, for the proxy address it reached. */
  private Verdict.Answer answer(Request request) {
    String proxyHost = request.proxy().getAddress().getHostAddress().replaceFirst("%.*$", "");
    return JoinFiles.find(room, pathOf(request.path()), proxyHost, request.proxy().getPort(),
            room.addresses().pac())
        .map(file -> response(200, "OK", file.contentType(), file.bytes()))
        .orElseGet(() -> response(404, "Not Found", "text/plain; charset=utf-8",
            "not found: try http://plainsight/\n".getBytes(StandardCharsets.UTF_8)));
  }

  /** The path without its query. */
  private static String pathOf(String target) {
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    return path.isEmpty() ? "/" : path;
  }

  private static Verdict.Answer response(int status, String reason, String type, byte[] body) {
    return new Verdict.Answer(status, reason, List.of(
        new Header("content-type", type),
        new Header("content-length", Integer.toString(body.length)),
        new Header("cache-control", "no-store"),
        new Header("X-Plainsight", "answered by the proxy itself")), body);
  }
}
