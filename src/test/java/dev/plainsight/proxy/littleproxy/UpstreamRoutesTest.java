package dev.plainsight.proxy.littleproxy;

import dev.plainsight.proxy.UpstreamProxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.net.DestinationPolicy;
import dev.plainsight.net.Destinations;
import dev.plainsight.net.OwnAddresses;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.littleshoot.proxy.ChainedProxy;
import org.littleshoot.proxy.ChainedProxyAdapter;

/** The route of each new upstream connection, without sockets: which targets go direct. */
class UpstreamRoutesTest {
  private static final int PLAINSIGHT_PORT = 18080;
  private final UpstreamRoutes routes = new UpstreamRoutes(
      UpstreamProxy.parse("http://proxy.venue.example:3128", null, List.of("*.lan", "10.*")),
      new Destinations(Map.of("demo.test", "127.0.0.1"),
          new DestinationPolicy(Set.of(PLAINSIGHT_PORT), Set.of(), OwnAddresses.system())),
      new UpstreamFailureRecorder(), new ConnectRegistry());

  @Test
  void namesGoToTheUpstreamProxyUnresolved() {
    ChainedProxy hop = route(connect("bank.example:443"));
    assertEquals("proxy.venue.example", hop.getChainedProxyAddress().getHostString());
    assertEquals(true, hop.getChainedProxyAddress().isUnresolved(), "Plainsight resolves nothing");
    assertNull(hop.getUsername(), "LittleProxy must not add credentials to every request");
    route(get("http://no-such-name.example/"));
  }

  @Test
  void allowedAddressLiteralsGoToTheUpstreamProxyToo() {
    assertEquals(3128, route(connect("192.0.2.7:443")).getChainedProxyAddress().getPort());
    assertEquals(3128, route(get("http://127.0.0.1:9999/")).getChainedProxyAddress().getPort());
  }

  @Test
  void bypassedFixedRefusedAndUnparsableTargetsGoDirect() {
    for (HttpRequest direct : List.of(connect("printer.lan:631"), get("http://10.1.2.3/"),
        get("http://demo.test/"), connect("127.0.0.1:" + PLAINSIGHT_PORT),
        get("http://localhost:" + PLAINSIGHT_PORT + "/"), connect("no-port.example"))) {
      assertSame(ChainedProxyAdapter.FALLBACK_TO_DIRECT_CONNECTION, route(direct),
          direct.method() + " " + direct.uri());
    }
  }

  @Test
  void credentialsGoOnTheConnectOnlyInsideATunnel() {
    UpstreamRoutes withLogin = new UpstreamRoutes(
        UpstreamProxy.parse("http://127.0.0.1:3128", "alice:pw", List.of()),
        new Destinations(Map.of(), new DestinationPolicy(Set.of(), Set.of(),
            OwnAddresses.system())), new UpstreamFailureRecorder(), new ConnectRegistry());
    Queue<ChainedProxy> hops = new ArrayDeque<>();
    HttpRequest connect = connect("bank.example:443");
    withLogin.lookupChainedProxies(connect, hops, null);
    ChainedProxy tunnel = hops.poll();
    tunnel.filterRequest(connect);
    assertEquals("Basic YWxpY2U6cHc=", connect.headers().get("Proxy-Authorization"));
    HttpRequest inside = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/secret");
    tunnel.filterRequest(inside);
    assertNull(inside.headers().get("Proxy-Authorization"), "never to the origin");

    HttpRequest plain = get("http://site.example/");
    withLogin.lookupChainedProxies(plain, hops, null);
    ChainedProxy hop = hops.poll();
    HttpRequest next = get("http://site.example/next");
    hop.filterRequest(next);
    assertEquals("Basic YWxpY2U6cHc=", next.headers().get("Proxy-Authorization"),
        "every request of a plain connection is for the upstream proxy");
  }

  private ChainedProxy route(HttpRequest request) {
    Queue<ChainedProxy> hops = new ArrayDeque<>();
    routes.lookupChainedProxies(request, hops, null);
    assertEquals(1, hops.size());
    return hops.poll();
  }

  private static HttpRequest connect(String target) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, target);
  }

  private static HttpRequest get(String url) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, url);
  }
}
