package dev.plainsight.proxy;

import dev.plainsight.Options;
import dev.plainsight.join.Room;
import dev.plainsight.proxy.littleproxy.LittleProxyServer;
import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.CaptureMode;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.tamper.TamperRules;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP proxy listener, Plainsight's front door to it: {@link #start} binds (port 0 picks a free
 * one); {@link #address} is the bound address. How it is served (LittleProxy today) lives in
 * {@code proxy.littleproxy}, the one package that names LittleProxy.
 */
public final class PlainsightProxy implements AutoCloseable {
  private final LittleProxyServer server;

  private PlainsightProxy(LittleProxyServer server) {
    this.server = server;
  }

  /**
   * What the proxy needs to run: its runtime parts (the proxy authentication too: it holds this
   * run's internal password, shared with the dashboard; the upstream proxy, or null: direct), and
   * the {@link Options} it was started with (which {@link Options.Builder#build} has checked).
   * {@code ownPorts} are refused as targets (no loops), {@code portsOpenToRoom} are this machine's
   * ports that clients on other machines may reach (the demo site's); a request head must be
   * complete within {@code headTimeoutSeconds} of its first byte (0: no limit).
   */
  public record Settings(
      Options options,
      FlowRecorder recorder,
      PassthroughPolicy passthrough,
      UpstreamTls upstreamTls,
      ForgedTls forgedTls,
      UpstreamFailureRecorder upstreamErrors,
      Room room,
      TamperRules tamperRules,
      ProxyAuth proxyAuth,
      UpstreamProxy upstreamProxy) {

    public InetSocketAddress listen() {
      return new InetSocketAddress(options.listen(), options.proxyPort());
    }

    public Set<Integer> ownPorts() {
      return options.dashboardPort() == 0 ? Set.of() : Set.of(options.dashboardPort());
    }

    public int idleTimeoutSeconds() { return options.idleTimeoutSeconds(); }
    public boolean allowPublicClients() { return options.allowPublicClients(); }
    public Map<String, String> staticHosts() { return options.staticHosts(); }
    public CaptureMode captureMode() { return options.captureMode(); }
    public int headTimeoutSeconds() { return options.headTimeoutSeconds(); }
    public Set<Integer> portsOpenToRoom() { return options.portsOpenToRoom(); }
  }

  public static PlainsightProxy start(Settings settings) {
    return start(settings, dev.plainsight.pcap.LegIndex.off());
  }

  /** As {@link #start(Settings)}, keeping each connection leg's raw bytes in {@code legs}. */
  public static PlainsightProxy start(Settings settings, dev.plainsight.pcap.LegIndex legs) {
    return new PlainsightProxy(LittleProxyServer.start(settings, legs));
  }

  /** Refuses requests to this port on this machine (the dashboard, once its port is known). */
  public void neverForwardTo(int port) {
    server.neverForwardTo(port);
  }

  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    server.close();
  }
}
