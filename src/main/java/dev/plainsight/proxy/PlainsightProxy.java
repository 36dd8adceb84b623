package dev.plainsight.proxy;

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
      Set<Integer> portsOpenToRoom,
      UpstreamProxy upstreamProxy) {

    /** As before {@code --upstream-proxy}: Plainsight connects to every server itself. */
    public Settings(InetSocketAddress listen, FlowRecorder recorder, PassthroughPolicy passthrough,
        UpstreamTls upstreamTls, ForgedTls forgedTls, UpstreamFailureRecorder upstreamErrors,
        Set<Integer> ownPorts, int idleTimeoutSeconds, Room room, boolean allowPublicClients,
        Map<String, String> staticHosts, CaptureMode captureMode, ProxyAuth proxyAuth,
        TamperRules tamperRules, int headTimeoutSeconds, Set<Integer> portsOpenToRoom) {
      this(listen, recorder, passthrough, upstreamTls, forgedTls, upstreamErrors, ownPorts,
          idleTimeoutSeconds, room, allowPublicClients, staticHosts, captureMode, proxyAuth,
          tamperRules, headTimeoutSeconds, portsOpenToRoom, null);
    }

    public Settings {
      if (proxyAuth.enabled() && !captureMode.records()) {
        throw new IllegalArgumentException("--proxy-auth needs capture on: it cannot be combined "
            + "with --capture OFF");
      }
    }
  }

  public static PlainsightProxy start(Settings settings) {
    return new PlainsightProxy(LittleProxyServer.start(settings));
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
