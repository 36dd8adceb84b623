package dev.plainsight;

import dev.plainsight.ca.CaException;
import dev.plainsight.ca.LeafMinter;
import dev.plainsight.ca.RootCa;
import dev.plainsight.ca.TlsContexts;
import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.dashboard.Dashboard;
import dev.plainsight.dashboard.TrainerToken;
import dev.plainsight.join.Room;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.keylog.SecretLines;
import dev.plainsight.pcap.LegCaptures;
import dev.plainsight.pcap.LegIndex;
import dev.plainsight.store.SqliteFlowStore;
import dev.plainsight.tamper.TamperRules;
import dev.plainsight.store.SqliteSessions;
import dev.plainsight.store.StoreLimit;
import dev.plainsight.store.StoreOptions;
import dev.plainsight.proxy.ForgedTls;
import dev.plainsight.proxy.PlainsightProxy;
import dev.plainsight.proxy.UpstreamTls;
import java.net.InetSocketAddress;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One running Plainsight: the CA, the flow store, the proxy and the dashboard, started in that
 * order by {@link #start} and stopped in reverse by {@link #close}. Tests start it on port 0.
 */
public final class Plainsight implements AutoCloseable {

  private final RootCa ca;
  private final SqliteFlowStore store;
  private final PassthroughPolicy passthrough;
  private final TamperRules tamperRules;
  private final PlainsightProxy proxy;
  private final Dashboard dashboard;
  private final Room room;
  private final TrainerToken token;
  private final long storeLimit;

  private Plainsight(RootCa ca, SqliteFlowStore store, PassthroughPolicy passthrough,
      TamperRules tamperRules, PlainsightProxy proxy, Dashboard dashboard, Room room,
      TrainerToken token, long storeLimit) {
    this.token = token;
    this.storeLimit = storeLimit;
    this.room = room;
    this.ca = ca;
    this.store = store;
    this.passthrough = passthrough;
    this.tamperRules = tamperRules;
    this.proxy = proxy;
    this.dashboard = dashboard;
  }

  public static Plainsight start(Options options) throws CaException {
    return start(options, KeyLog.off());
  }

  /**
   * As {@link #start(Options)}, the TLS secrets of both legs of every intercepted connection going
   * to {@code keyLog} (which the caller closes after {@link #close}). The dashboard's token is the
   * one kept in the data directory ({@link TrainerToken}); sessions that an earlier launch left
   * without a flow are removed, so only the current session may be empty.
   */
  public static Plainsight start(Options options, KeyLog fileLog) throws CaException {
    long rawLimit = options.rawLimit();
    SecretLines secretLines = new SecretLines(8192);
    LegIndex legs = rawLimit > 0 ? LegIndex.withLimit(rawLimit) : LegIndex.off();
    KeyLog keyLog = rawLimit > 0 ? fileLog.alsoTo(secretLines) : fileLog;
    RootCa ca = RootCa.loadOrCreate(options.caDir());
    UpstreamFailureRecorder upstreamErrors = new UpstreamFailureRecorder();
    X509ExtendedTrustManager upstreamTrust =
        TlsContexts.upstreamTrustManager(options.upstreamCaFiles(), upstreamErrors);
    UpstreamTls upstream =
        UpstreamTls.create(upstreamTrust, TlsContexts.clientContext(upstreamTrust), keyLog);
    ForgedTls forging = ForgedTls.create(new LeafMinter(ca), keyLog);
    long storeLimit = StoreLimit.resolve(options.maxDataSize(), options.dataDir());
    SqliteFlowStore store = SqliteFlowStore.open(options.dataDir(), StoreOptions.defaults()
        .withSessionName(options.sessionName())
        .withRetention(storeLimit, options.maxSessions()));
    SqliteSessions sessions = store.sessions();
    LegCaptures captures = new LegCaptures(legs, secretLines, store);
    TrainerToken token;
    try {
      sessions.removeEmptyButCurrent();
      token = TrainerToken.loadOrCreate(options.dataDir(), options.newToken());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    PassthroughPolicy passthrough = new PassthroughPolicy(options.passthrough());
    TamperRules tamperRules = TamperRules.load(options.dataDir().resolve(TamperRules.FILE_NAME));
    Room room = new Room(ca);
    ProxyAuth proxyAuth = options.newProxyAuth();
    PlainsightProxy proxy;
    try {
      proxy = PlainsightProxy.start(new PlainsightProxy.Settings(options,
          new FlowRecorder(store, sessions::currentId, options.bodyCaptureLimit()),
          passthrough, upstream, forging, upstreamErrors, room, tamperRules, proxyAuth,
          options.upstreamProxy()), captures.index());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    Dashboard dashboard;
    try {
      dashboard = Dashboard.start(new Dashboard.Settings(options.dashboardListen(),
          options.dashboardPort(), token.value(), store, ca, passthrough, proxy.address(),
          options.dataDir(), tamperRules, proxyAuth, room), captures);
    } catch (RuntimeException e) {
      proxy.close();
      store.close();
      throw e;
    }
    proxy.neverForwardTo(dashboard.port());
    room.proxyAt(proxy.address());
    room.dashboardAt(options.dashboardListen(), dashboard.port());
    return new Plainsight(ca, store, passthrough, tamperRules, proxy, dashboard, room, token,
        storeLimit);
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
    return token.value();
  }

  /** Where the token came from (kept, new, replaced and why): the banner's line. */
  public String tokenNotice() {
    return token.notice();
  }

  /** The store's limit in bytes ({@code --max-data-size auto} resolved; 0: none). */
  public long storeLimit() {
    return storeLimit;
  }

  @Override
  public void close() {
    proxy.close();
    dashboard.close();
    store.close();
  }
}
