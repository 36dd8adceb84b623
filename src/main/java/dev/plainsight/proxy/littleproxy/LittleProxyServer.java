package dev.plainsight.proxy.littleproxy;

import dev.plainsight.net.DestinationPolicy;
import dev.plainsight.net.Destinations;
import dev.plainsight.net.OwnAddresses;
import dev.plainsight.proxy.PlainsightProxy;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;

/**
 * LittleProxy's bootstrap with Plainsight's filters, interception and workarounds: {@link #start}
 * binds and returns the running server; {@link #close} aborts it.
 */
public final class LittleProxyServer implements AutoCloseable {
  private final HttpProxyServer server;
  private final DestinationPolicy destinations;

  private LittleProxyServer(HttpProxyServer server, DestinationPolicy destinations) {
    this.server = server;
    this.destinations = destinations;
  }

  public static LittleProxyServer start(PlainsightProxy.Settings settings) {
    ConnectRegistry registry = new ConnectRegistry();
    DestinationPolicy policy = new DestinationPolicy(settings.ownPorts(),
        settings.portsOpenToRoom(), OwnAddresses.system());
    Destinations destinations = new Destinations(settings.staticHosts(), policy);
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    HttpProxyServer server = DefaultHttpProxyServer.bootstrap()
        .withName("plainsight")
        .withAddress(settings.listen())
        .withAllowLocalOnly(false)
        .withServerResolver(new PinnedResolver())
        .withIdleConnectionTimeout(settings.idleTimeoutSeconds())
        .withConnectTimeout(10_000)
        .withServerGroup(new SharedLoops("plainsight", workers))
        .withManInTheMiddle(new InterceptingMitmManager(settings.upstreamTls(),
            settings.forgedTls(), registry, settings.captureMode().tapsTls()))
        .plusActivityTracker(new MalformedRequestTracker(settings.recorder()))
        .withFiltersSource(settings.captureMode().records()
            ? new CaptureFiltersSource(settings.recorder(), settings.passthrough(), destinations,
                settings.upstreamErrors(), registry,
                new ClientAddressPolicy(settings.allowPublicClients()),
                new MagicHost(settings.ca()), settings.forgedTls(),
                settings.captureMode().tapsTls(), settings.proxyAuth(), settings.tamperRules())
            : new ForwardOnlyFilters.Source(destinations))
        .start();
    policy.protect(server.getListenAddress().getPort());
    Consumer<Channel> accepted = new FramingGuard(settings.recorder())::watch;
    if (settings.headTimeoutSeconds() > 0) {
      HeadTimeout heads = new HeadTimeout(settings.recorder(),
          settings.headTimeoutSeconds() * 1000L);
      accepted = accepted.andThen(heads::watch);
    }
    AcceptedChannels.onAccept(server, accepted);
    return new LittleProxyServer(server, policy);
  }

  /** Refuses requests to this port on this machine. */
  public void neverForwardTo(int port) {
    destinations.protect(port);
  }

  public InetSocketAddress address() {
    return server.getListenAddress();
  }

  @Override
  public void close() {
    server.abort();
  }
}
