package dev.plainsight.proxy.littleproxy;

import dev.plainsight.proxy.UpstreamProxy;

import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.net.Authority;
import dev.plainsight.net.Destinations;
import dev.plainsight.net.RequestTarget;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Queue;
import org.littleshoot.proxy.ChainedProxy;
import org.littleshoot.proxy.ChainedProxyAdapter;
import org.littleshoot.proxy.ChainedProxyManager;
import org.littleshoot.proxy.impl.ClientDetails;
import org.littleshoot.proxy.impl.ProxyToServerConnection;

/**
 * LittleProxy's {@link ChainedProxyManager} for {@code --upstream-proxy}: per new upstream
 * connection (a CONNECT, or a plain request to a host:port with no open connection), the route.
 *
 * <p>Direct (LittleProxy then asks the filters to resolve and check the target, as without an
 * upstream proxy): a host on the bypass list, a fixed name (the demo site's: the upstream proxy
 * cannot know it), a target the filters could not parse, and any target Plainsight can resolve
 * without DNS (an address literal, {@code localhost}) that the destination policy refuses — so
 * the filters refuse it with their usual error flow, and the upstream proxy never becomes a way
 * around the loop guard. Everything else goes to the upstream proxy, names unresolved: the room
 * may have no DNS of its own.
 *
 * <p>Credentials: LittleProxy 2.8.0 adds {@code Proxy-Authorization} to every request of a
 * chained connection when a chained proxy has a user name, including the requests Plainsight
 * sends to the origin inside an intercepted TLS connection; so the user name stays null and
 * {@link ChainedProxy#filterRequest} sets the header on the CONNECT, or on the plain requests of
 * a plain connection, only.
 */
final class UpstreamRoutes implements ChainedProxyManager {
  private final UpstreamProxy upstream;
  private final Destinations destinations;
  private final UpstreamFailureRecorder failures;
  private final ConnectRegistry connects;

  UpstreamRoutes(UpstreamProxy upstream, Destinations destinations,
      UpstreamFailureRecorder failures, ConnectRegistry connects) {
    this.upstream = upstream;
    this.destinations = destinations;
    this.failures = failures;
    this.connects = connects;
  }

  @Override
  public void lookupChainedProxies(HttpRequest request, Queue<ChainedProxy> proxies,
      ClientDetails client) {
    Authority target = target(request);
    proxies.add(throughUpstream(target, client) ? new Hop(target, HttpMethod.CONNECT.equals(
        request.method())) : ChainedProxyAdapter.FALLBACK_TO_DIRECT_CONNECTION);
  }

  /** Whether this request's new connection goes through the upstream proxy. */
  private boolean throughUpstream(Authority target, ClientDetails client) {
    if (target == null || upstream.bypasses(target.host())
        || destinations.isFixedName(target.host())) {
      return false;
    }
    InetAddress from = client == null || client.getClientAddress() == null ? null
        : client.getClientAddress().getAddress();
    return destinations.resolveWithoutDns(target, from)
        .map(resolution -> resolution instanceof Destinations.Reachable)
        .orElse(true);
  }

  private static Authority target(HttpRequest request) {
    try {
      if (HttpMethod.CONNECT.equals(request.method())) {
        return Authority.parseConnectTarget(request.uri());
      }
      if (RequestTarget.isAbsolute(request.uri())) {
        return RequestTarget.parse(request.uri()).authority();
      }
      return Authority.parse(request.headers().get(HttpHeaderNames.HOST), 80);
    } catch (RuntimeException unparsable) {
      return null;
    }
  }

  /**
   * The upstream proxy a new server connection went through ({@code host:port}), or null when
   * it is direct: LittleProxy's server connection is the handler of its own context.
   */
  static String via(ChannelHandlerContext serverCtx) {
    if (serverCtx.handler() instanceof ProxyToServerConnection server
        && server.hasUpstreamChainedProxy()) {
      InetSocketAddress address = server.getChainedProxyAddress();
      String host = address.getHostString();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
    return null;
  }

  /** One connection's hop to the upstream proxy. */
  private final class Hop extends ChainedProxyAdapter {
    private final Authority target;
    private final boolean tunnel;
    private boolean connectSeen;

    Hop(Authority target, boolean tunnel) {
      this.target = target;
      this.tunnel = tunnel;
    }

    /**
     * LittleProxy hands a chained CONNECT to this hop right after the TCP connect to the upstream
     * proxy, and tells the filters nothing of it (their connect callbacks assume a direct
     * connection): so the connection's TCP step ends here, and it records its route.
     */
    private void connectWritten(HttpRequest connect) {
      var connection = connects.find(connect);
      if (connection != null) {
        connection.tcpDone();
        connection.viaUpstreamProxy(upstream.hostPort());
      }
    }

    /** Kept for the filters' error flow, which names the upstream proxy and what went wrong. */
    @Override
    public void connectionFailed(Throwable cause) {
      String hostPort = target.host() + ":" + target.port();
      String what = cause != null
          ? "it could not be reached or failed: " + cause.getMessage()
          : tunnel ? "it refused the CONNECT or did not answer it in HTTP (LittleProxy does not "
              + "pass on which answer; a 407 would mean missing or wrong credentials: see "
              + "PLAINSIGHT_UPSTREAM_PROXY_AUTH)"
          : "it closed the connection";
      failures.record(hostPort, "could not connect to " + hostPort + " through the upstream "
          + "proxy " + upstream.hostPort() + ": " + what);
    }

    @Override
    public InetSocketAddress getChainedProxyAddress() {
      return upstream.socketAddress();
    }

    @Override
    public void filterRequest(HttpObject message) {
      if (!(message instanceof HttpRequest request)) {
        return;
      }
      if (tunnel && !connectSeen && HttpMethod.CONNECT.equals(request.method())) {
        connectSeen = true;
        connectWritten(request);
      }
      if (upstream.authorization() == null) {
        return;
      }
      // inside a tunnel, only the CONNECT itself is for the upstream proxy
      if (!tunnel || HttpMethod.CONNECT.equals(request.method())) {
        request.headers().set(HttpHeaderNames.PROXY_AUTHORIZATION, upstream.authorization());
      }
    }
  }
}
