package dev.plainsight.proxy;

import dev.plainsight.join.Room;
import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.CaptureMode;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.tamper.TamperRules;
import dev.plainsight.net.DestinationPolicy;
import dev.plainsight.net.Destinations;
import dev.plainsight.net.OwnAddresses;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;

/**
 * The HTTP proxy listener: LittleProxy wired to Plainsight's capture filters and interception.
 * {@link #start} binds (port 0 picks a free one); {@link #address} is the bound address.
 */
public final class PlainsightProxy implements AutoCloseable {
  private final HttpProxyServer server;
  private final DestinationPolicy destinations;

  private PlainsightProxy(HttpProxyServer server, DestinationPolicy destinations) {
    this.server = server;
    this.destinations = destinations;
  }

  /**
   * What the proxy needs to run; {@code ownPorts} are refused as targets (no loops), {@code
   * portsOpenToRoom} are this machine's ports that clients on other machines may reach (the demo
   * site's); a request head must be complete within {@code headTimeoutSeconds} of its first byte
   * (0: no limit).
   */
  public record Settings(
      InetSocketAddress listen,
      FlowRecorder recorder,
      PassthroughPolicy passthrough,
      UpstreamTls upstreamTls,
      ForgedTls forgedTls,
      UpstreamFailureRecorder upstreamErrors,
      Set<Integer> ownPorts,
      int idleTimeoutSeconds,
      Room room,
      boolean allowPublicClients,
      Map<String, String> staticHosts,
      CaptureMode captureMode,
      ProxyAuth proxyAuth,
      TamperRules tamperRules,
      int headTimeoutSeconds,
      Set<Integer> portsOpenToRoom) {

    public Settings {
      if (proxyAuth.enabled() && !captureMode.records()) {
        throw new IllegalArgumentException("--proxy-auth needs capture on: it cannot be combined "
            + "with --capture OFF");
      }
    }
  }

  public static PlainsightProxy start(Settings settings) {
    return start(settings, dev.plainsight.pcap.LegIndex.off());
  }

  /** As {@link #start(Settings)}, keeping each connection leg's raw bytes in {@code legs}. */
  public static PlainsightProxy start(Settings settings, dev.plainsight.pcap.LegIndex legs) {
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
                new MagicHost(settings.room()), settings.forgedTls(),
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
    accepted = accepted.andThen(channel -> WireTap.onClient(channel, legs));
    AcceptedChannels.onAccept(server, accepted);
    return new PlainsightProxy(server, policy);
  }

  /** Refuses requests to this port on this machine (the dashboard, once its port is known). */
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
