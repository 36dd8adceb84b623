package dev.plainsight.proxy;

import dev.plainsight.join.JoinFiles;
import dev.plainsight.join.Room;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code http://plainsight/}, answered by the proxy itself (never forwarded, never the
 * dashboard), as mitmproxy answers mitm.it: a browser that already uses the proxy gets the
 * participants' page, the CA certificate and the PAC file there ({@link JoinFiles}). Only plain
 * HTTP: no certificate could be trusted for it yet.
 */
final class MagicHost {
  static final String NAME = "plainsight";

  private final Room room;

  MagicHost(Room room) {
    this.room = room;
  }

  static boolean isFor(String host) {
    return host != null && host.toLowerCase(Locale.ROOT).equals(NAME);
  }

  /** The answer to a request for the magic host; {@code local} is the proxy address it reached. */
  FullHttpResponse answer(HttpRequest request, InetSocketAddress local) {
    String proxyHost = local.getAddress().getHostAddress().replaceFirst("%.*$", "");
    return JoinFiles.find(room, pathOf(request), proxyHost, local.getPort(),
            room.addresses().pac())
        .map(file -> response(HttpResponseStatus.OK, file.contentType(), file.bytes()))
        .orElseGet(() -> response(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
            "not found: try http://plainsight/\n".getBytes(StandardCharsets.UTF_8)));
  }

  Room room() {
    return room;
  }

  /** The request's path without its query; never fails on a malformed URL ({@code %zz}). */
  private static String pathOf(HttpRequest request) {
    String target = ClientTarget.of(request) instanceof ClientTarget.Absolute absolute
        ? absolute.target().pathAndQuery() : request.uri();
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    return path.isEmpty() ? "/" : path;
  }

  private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Plainsight", "answered by the proxy itself");
    return response;
  }
}
