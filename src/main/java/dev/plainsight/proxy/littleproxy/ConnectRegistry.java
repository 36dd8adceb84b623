package dev.plainsight.proxy.littleproxy;

import com.google.common.collect.MapMaker;
import dev.plainsight.capture.ClientConnection;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.ConcurrentMap;

/**
 * Links a CONNECT request object to its client connection, so the {@link
 * InterceptingMitmManager} (which LittleProxy hands only the request) can report the upstream
 * handshake to the right connection, and {@link UpstreamRoutes} its hop through an upstream proxy. Keys are held weakly and compared by identity.
 */
final class ConnectRegistry {
  private final ConcurrentMap<HttpRequest, ClientConnection> byRequest =
      new MapMaker().weakKeys().makeMap();

  void register(HttpRequest connect, ClientConnection connection) {
    byRequest.put(connect, connection);
  }

  /** The connection of a CONNECT, left registered (null: none, e.g. with capture off). */
  ClientConnection find(HttpRequest connect) {
    return byRequest.get(connect);
  }

  ClientConnection take(HttpRequest connect) {
    return byRequest.remove(connect);
  }
}
