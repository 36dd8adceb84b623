package dev.plainsight.proxy.littleproxy;

import dev.plainsight.proxy.PlainsightProxy;
import dev.plainsight.proxy.policy.ClientAddressPolicy;
import dev.plainsight.proxy.policy.Policies;
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
  private final Policies policies;

  private LittleProxyServer(HttpProxyServer server, Policies policies) {
    this.server = server;
    this.policies = policies;
  }

  public static LittleProxyServer start(PlainsightProxy.Settings settings) {
    return start(settings, dev.plainsight.pcap.LegIndex.off());
  }

  /** As {@link #start(PlainsightProxy.Settings)}, each leg's raw bytes going to {@code legs}. */
  public static LittleProxyServer start(PlainsightProxy.Settings settings,
      dev.plainsight.pcap.LegIndex legs) {
    ConnectRegistry registry = new ConnectRegistry();
    Policies policies = Policies.standard(settings);
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    HttpProxyServer server = DefaultHttpProxyServer.bootstrap()
        .withName("plainsight")
        .withAddress(settings.listen())
        .withAllowLocalOnly(false)
        .withServerResolver(new PinnedResolver())
        .withIdleConnectionTimeout(settings.idleTimeoutSeconds())
        .withConnectTimeout(10_000)
        .withServerGroup(new SharedLoops("plainsight", workers))
        .withChainProxyManager(settings.upstreamProxy() == null ? null
            : new UpstreamRoutes(settings.upstreamProxy(), policies.destinations(),
                settings.upstreamErrors(), registry))
        .withManInTheMiddle(new InterceptingMitmManager(settings.upstreamTls(),
            settings.forgedTls(), registry, settings.captureMode().tapsTls(), legs))
        .plusActivityTracker(new MalformedRequestTracker(settings.recorder()))
        .withFiltersSource(settings.captureMode().records()
            ? new CaptureFiltersSource(policies, settings.upstreamErrors(), registry,
                settings.forgedTls(), settings.captureMode().tapsTls(), settings.room())
            : new ForwardOnlyFilters.Source(policies.destinations(),
                new ClientAddressPolicy(settings.allowPublicClients())))
        .start();
    policies.protect(server.getListenAddress().getPort());
    Consumer<Channel> accepted = new FramingGuard(settings.recorder())::watch;
    if (settings.headTimeoutSeconds() > 0) {
      HeadTimeout heads = new HeadTimeout(settings.recorder(),
          settings.headTimeoutSeconds() * 1000L);
      accepted = accepted.andThen(heads::watch);
    }
    accepted = accepted.andThen(channel -> WireTap.onClient(channel, legs));
    AcceptedChannels.onAccept(server, accepted);
    return new LittleProxyServer(server, policies);
  }

  /** Refuses requests to this port on this machine. */
  public void neverForwardTo(int port) {
    policies.protect(port);
  }

  public InetSocketAddress address() {
    return server.getListenAddress();
  }

  @Override
  public void close() {
    server.abort();
  }
}
