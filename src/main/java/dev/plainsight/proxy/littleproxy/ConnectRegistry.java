package dev.plainsight.proxy.littleproxy;

import com.google.common.collect.MapMaker;
import dev.plainsight.capture.ClientConnection;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.ConcurrentMap;

/**
 * Links a CONNECT request object to its client connection, so the {@link
 * InterceptingMitmManager} (which LittleProxy hands only the request) can report the upstream
 * handshake to the right connection. Keys are held weakly and compared by identity.
 */
final class ConnectRegistry {
  private final ConcurrentMap<HttpRequest, ClientConnection> byRequest =
      new MapMaker().weakKeys().makeMap();

  void register(HttpRequest connect, ClientConnection connection) {
    byRequest.put(connect, connection);
  }

  ClientConnection take(HttpRequest connect) {
    return byRequest.remove(connect);
  }
}
