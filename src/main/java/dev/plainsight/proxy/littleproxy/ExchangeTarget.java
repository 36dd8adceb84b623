package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.ClientConnection;
import dev.plainsight.flow.Header;
import dev.plainsight.net.Authority;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where one exchange's request goes, read once: the CONNECT's target inside an intercepted
 * connection, otherwise the request line ({@link ClientTarget}); an absolute URL is rewritten to
 * the canonical form LittleProxy routes on, so it connects to the very target recorded and
 * checked. {@code routed}: the authority LittleProxy connects to (null: it must not connect);
 * {@code malformed}: why the target cannot be served (null when it can).
 */
record ExchangeTarget(String url, String host, int port, Authority routed, String malformed) {

  static ExchangeTarget decrypted(ClientConnection connection, HttpRequest request) {
    Authority hp = new Authority(connection.connectHost(), connection.connectPort());
    return new ExchangeTarget("https://" + hp.authority(443) + request.uri(), hp.host(),
        hp.port(), hp, null);
  }

  static ExchangeTarget of(HttpRequest request) {
    ClientTarget parsed = ClientTarget.of(request);
    if (parsed instanceof ClientTarget.Absolute absolute) {
      request.setUri(absolute.target().routingUri());
      Authority authority = absolute.target().authority();
      return new ExchangeTarget(absolute.target().url(), authority.host(), authority.port(),
          authority, null);
    }
    if (parsed instanceof ClientTarget.PathOnly path && path.hostHeader() != null) {
      Authority host = path.hostHeader();
      return new ExchangeTarget(request.uri(), host.host(), host.port(), null, null);
    }
    String reason = parsed instanceof ClientTarget.Malformed bad ? bad.reason() : null;
    return new ExchangeTarget(request.uri(), null, 0, null, reason);
  }

  static List<Header> headers(HttpHeaders headers) {
    List<Header> out = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> entry : headers) {
      out.add(new Header(entry.getKey(), entry.getValue()));
    }
    return out;
  }
}
