package dev.plainsight;

import dev.plainsight.ca.CaException;
import dev.plainsight.ca.LeafMinter;
import dev.plainsight.ca.RootCa;
import dev.plainsight.ca.TlsContexts;
import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.CaptureMode;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.dashboard.Dashboard;
import dev.plainsight.join.Room;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.keylog.SecretLines;
import dev.plainsight.pcap.LegCaptures;
import dev.plainsight.pcap.LegIndex;
import dev.plainsight.store.SqliteFlowStore;
import dev.plainsight.tamper.TamperRules;
import dev.plainsight.store.SqliteSessions;
import dev.plainsight.store.StoreOptions;
import dev.plainsight.proxy.ForgedTls;
import dev.plainsight.proxy.PlainsightProxy;
import dev.plainsight.proxy.UpstreamTls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One running Plainsight: the CA, the flow store, the proxy and the dashboard, started in that
 * order by {@link #start} and stopped in reverse by {@link #close}. Tests start it on port 0.
 */
public final class Plainsight implements AutoCloseable {

  /** Everything the command line can set. */
  public record Config(
      String listen,
      int proxyPort,
      String dashboardListen,
      int dashboardPort,
      Path caDir,
      Path dataDir,
      List<String> passthrough,
      List<Path> upstreamCaFiles,
      int bodyCaptureLimit,
      long maxDataBytes,
      int maxSessions,
      String sessionName,
      int idleTimeoutSeconds,
      boolean allowPublicClients,
      Map<String, String> staticHosts,
      CaptureMode captureMode,
      ProxyAuth proxyAuth,
      int headTimeoutSeconds,
      Set<Integer> portsOpenToRoom) {

    public Config {
      portsOpenToRoom = Set.copyOf(portsOpenToRoom);
      proxyAuth = proxyAuth == null ? ProxyAuth.none() : proxyAuth;
      passthrough = List.copyOf(passthrough);
      upstreamCaFiles = List.copyOf(upstreamCaFiles);
      staticHosts = Map.copyOf(staticHosts);
    }

    /** The defaults of the command line, with the given ports and directories. */
    public static Config defaults(int proxyPort, int dashboardPort, Path caDir, Path dataDir) {
      return new Config("127.0.0.1", proxyPort, "127.0.0.1", dashboardPort, caDir, dataDir,
          List.of(), List.of(), 1024 * 1024, 0, 0, null, 70, false, Map.of(),
          CaptureMode.FULL, ProxyAuth.none(), 20, Set.of());
    }

    public Config withPassthrough(List<String> globs) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir, globs,
          upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName, idleTimeoutSeconds,
          allowPublicClients, staticHosts, captureMode, proxyAuth, headTimeoutSeconds, portsOpenToRoom);
    }

    public Config withUpstreamCaFiles(List<Path> files) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, files, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName, idleTimeoutSeconds,
          allowPublicClients, staticHosts, captureMode, proxyAuth, headTimeoutSeconds, portsOpenToRoom);
    }

    public Config withIdleTimeoutSeconds(int seconds) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName, seconds,
          allowPublicClients, staticHosts, captureMode, proxyAuth, headTimeoutSeconds, portsOpenToRoom);
    }

    public Config withRetention(long maxBytes, int sessions) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxBytes, sessions, sessionName,
          idleTimeoutSeconds, allowPublicClients, staticHosts, captureMode, proxyAuth, headTimeoutSeconds, portsOpenToRoom);
    }

    /** Basic proxy authentication: participant name as user name, the room password shared. */
    public Config withProxyAuth(ProxyAuth auth) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName,
          idleTimeoutSeconds, allowPublicClients, staticHosts, captureMode, auth, headTimeoutSeconds, portsOpenToRoom);
    }

    public Config withHeadTimeoutSeconds(int seconds) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName,
          idleTimeoutSeconds, allowPublicClients, staticHosts, captureMode, proxyAuth, seconds, portsOpenToRoom);
    }

    /** The proxy's bind address ({@code 0.0.0.0} for a workshop LAN). */
    public Config withListen(String address) {
      return new Config(address, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName,
          idleTimeoutSeconds, allowPublicClients, staticHosts, captureMode, proxyAuth,
          headTimeoutSeconds, portsOpenToRoom);
    }

    /** Serve clients from public addresses too ({@code --allow-public}). */
    public Config withAllowPublicClients(boolean allow) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName,
          idleTimeoutSeconds, allow, staticHosts, captureMode, proxyAuth, headTimeoutSeconds, portsOpenToRoom);
    }

    /** Host names the proxy resolves itself (the demo site's workshop name). */
    public Config withStaticHosts(Map<String, String> hosts) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName,
          idleTimeoutSeconds, allowPublicClients, hosts, captureMode, proxyAuth,
          headTimeoutSeconds, portsOpenToRoom);
    }

    public Config withBodyCaptureLimit(int bytes) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bytes, maxDataBytes, maxSessions, sessionName, idleTimeoutSeconds,
          allowPublicClients, staticHosts, captureMode, proxyAuth, headTimeoutSeconds, portsOpenToRoom);
    }

    /** Ports of this machine that clients on other machines may reach (the demo site's). */
    public Config withPortsOpenToRoom(Set<Integer> ports) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName,
          idleTimeoutSeconds, allowPublicClients, staticHosts, captureMode, proxyAuth,
          headTimeoutSeconds, ports);
    }

    public Config withCaptureMode(CaptureMode mode) {
      return new Config(listen, proxyPort, dashboardListen, dashboardPort, caDir, dataDir,
          passthrough, upstreamCaFiles, bodyCaptureLimit, maxDataBytes, maxSessions, sessionName,
          idleTimeoutSeconds, allowPublicClients, staticHosts, mode, proxyAuth, headTimeoutSeconds, portsOpenToRoom);
    }
  }

  private final RootCa ca;
  private final SqliteFlowStore store;
  private final PassthroughPolicy passthrough;
  private final TamperRules tamperRules;
  private final PlainsightProxy proxy;
  private final Dashboard dashboard;
  private final Room room;

  private Plainsight(RootCa ca, SqliteFlowStore store, PassthroughPolicy passthrough,
      TamperRules tamperRules, PlainsightProxy proxy, Dashboard dashboard, Room room) {
    this.room = room;
    this.ca = ca;
    this.store = store;
    this.passthrough = passthrough;
    this.tamperRules = tamperRules;
    this.proxy = proxy;
    this.dashboard = dashboard;
  }

  public static Plainsight start(Config config) throws CaException {
    return start(config, KeyLog.off());
  }

  /**
   * As {@link #start(Config)}, the TLS secrets of both legs of every intercepted connection going
   * to {@code keyLog} (which the caller closes after {@link #close}).
   */
  public static Plainsight start(Config config, KeyLog keyLog) throws CaException {
    return start(config, keyLog, LegIndex.DEFAULT_LIMIT);
  }

  /** As {@link #start(Config, KeyLog)}, keeping up to {@code rawLimit} bytes of each leg (0: none). */
  public static Plainsight start(Config config, KeyLog fileLog, long rawLimit)
      throws CaException {
    SecretLines secretLines = new SecretLines(8192);
    LegCaptures captures = new LegCaptures(
        rawLimit > 0 ? LegIndex.withLimit(rawLimit) : LegIndex.off(), secretLines);
    KeyLog keyLog = rawLimit > 0 ? fileLog.alsoTo(secretLines) : fileLog;
    RootCa ca = RootCa.loadOrCreate(config.caDir());
    UpstreamFailureRecorder upstreamErrors = new UpstreamFailureRecorder();
    X509ExtendedTrustManager upstreamTrust =
        TlsContexts.upstreamTrustManager(config.upstreamCaFiles(), upstreamErrors);
    UpstreamTls upstream =
        UpstreamTls.create(upstreamTrust, TlsContexts.clientContext(upstreamTrust), keyLog);
    ForgedTls forging = ForgedTls.create(new LeafMinter(ca), keyLog);
    SqliteFlowStore store = SqliteFlowStore.open(config.dataDir(), StoreOptions.defaults()
        .withSessionName(config.sessionName())
        .withRetention(config.maxDataBytes(), config.maxSessions()));
    SqliteSessions sessions = store.sessions();
    PassthroughPolicy passthrough = new PassthroughPolicy(config.passthrough());
    TamperRules tamperRules = TamperRules.load(config.dataDir().resolve(TamperRules.FILE_NAME));
    Room room = new Room(ca);
    PlainsightProxy proxy;
    try {
      proxy = PlainsightProxy.start(new PlainsightProxy.Settings(
          new InetSocketAddress(config.listen(), config.proxyPort()),
          new FlowRecorder(store, sessions::currentId, config.bodyCaptureLimit()),
          passthrough, upstream, forging, upstreamErrors,
          config.dashboardPort() == 0 ? Set.of() : Set.of(config.dashboardPort()),
          config.idleTimeoutSeconds(), room, config.allowPublicClients(), config.staticHosts(),
          config.captureMode(), config.proxyAuth(), tamperRules, config.headTimeoutSeconds(),
          config.portsOpenToRoom()), captures.index());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    Dashboard dashboard;
    try {
      dashboard = Dashboard.start(new Dashboard.Settings(config.dashboardListen(),
          config.dashboardPort(), newToken(), store, ca, passthrough, proxy.address(),
          config.dataDir(), tamperRules, config.proxyAuth(), room), captures);
    } catch (RuntimeException e) {
      proxy.close();
      store.close();
      throw e;
    }
    proxy.neverForwardTo(dashboard.port());
    room.proxyAt(proxy.address());
    room.dashboardAt(config.dashboardListen(), dashboard.port());
    return new Plainsight(ca, store, passthrough, tamperRules, proxy, dashboard, room);
  }

  public InetSocketAddress proxyAddress() { return proxy.address(); }
  public String dashboardUrl() { return dashboard.url(); }
  public int dashboardPort() { return dashboard.port(); }
  public RootCa ca() { return ca; }
  /** What participants need to join (the demo site's CA is offered here). */
  public Room room() { return room; }
  public SqliteFlowStore store() { return store; }
  public SqliteSessions sessions() { return store.sessions(); }
  public PassthroughPolicy passthrough() { return passthrough; }
  public TamperRules tamperRules() { return tamperRules; }

  /** The access token, as printed in the dashboard URL. */
  public String token() {
    String url = dashboard.url();
    return url.substring(url.indexOf("token=") + "token=".length());
  }

  @Override
  public void close() {
    proxy.close();
    dashboard.close();
    store.close();
  }

  private static String newToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
