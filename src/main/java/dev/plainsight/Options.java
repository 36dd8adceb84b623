package dev.plainsight;

import dev.plainsight.capture.CaptureMode;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.proxy.UpstreamProxy;
import dev.plainsight.store.StoreLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Everything Plainsight can be told, as one immutable value. {@link Builder}'s fields are the
 * command line: picocli fills them (each {@code @Option} is the option's name, help and, by the
 * field's initial value, its default), tests fill them through the fluent setters, and
 * {@link Builder#build} checks them in one place, throwing {@link Invalid} with the one line a
 * user can act on. A new option is one builder field, its setter and one record component.
 * {@code staticHosts} and {@code portsOpenToRoom} are set by code (the demo site), not by a flag;
 * {@code upstreamProxyCredentials} comes from the environment ({@link #UPSTREAM_AUTH_VARIABLE}).
 */
public record Options(
    int proxyPort,
    int dashboardPort,
    String listen,
    String dashboardListen,
    Path caDir,
    Path dataDir,
    List<String> passthrough,
    List<Path> upstreamCaFiles,
    int bodyCaptureLimit,
    long maxDataSize,
    boolean repair,
    int maxSessions,
    String sessionName,
    int idleTimeoutSeconds,
    int headTimeoutSeconds,
    boolean allowPublicClients,
    CaptureMode captureMode,
    String roomPassword,
    Path keyLogFile,
    boolean newToken,
    boolean demo,
    int demoHttpPort,
    int demoHttpsPort,
    Map<String, String> staticHosts,
    Set<Integer> portsOpenToRoom,
    String upstreamProxyUrl,
    List<String> upstreamProxyBypass,
    String upstreamProxyCredentials,
    long rawLimit) {

  /** Where {@code --upstream-proxy}'s Basic credentials ({@code user:password}) come from. */
  public static final String UPSTREAM_AUTH_VARIABLE = "PLAINSIGHT_UPSTREAM_PROXY_AUTH";

  /** An option value that cannot work, phrased as the one line to print. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  public Options {
    passthrough = List.copyOf(passthrough);
    upstreamCaFiles = List.copyOf(upstreamCaFiles);
    staticHosts = Map.copyOf(staticHosts);
    portsOpenToRoom = Set.copyOf(portsOpenToRoom);
    upstreamProxyBypass = List.copyOf(upstreamProxyBypass);
  }

  /** The upstream proxy Plainsight's own connections go through, or null: direct. */
  public UpstreamProxy upstreamProxy() {
    return upstreamProxyUrl == null ? null
        : UpstreamProxy.parse(upstreamProxyUrl, upstreamProxyCredentials, upstreamProxyBypass);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The command line's defaults, with these ports and directories (what tests start from). */
  public static Builder builder(int proxyPort, int dashboardPort, Path caDir, Path dataDir) {
    return new Builder().proxyPort(proxyPort).dashboardPort(dashboardPort).caDir(caDir)
        .dataDir(dataDir);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.proxyPort = proxyPort;
    b.dashboardPort = dashboardPort;
    b.listen = listen;
    b.dashboardListen = dashboardListen;
    b.caDir = caDir;
    b.dataDir = dataDir;
    b.passthrough = new ArrayList<>(passthrough);
    b.upstreamCa = new ArrayList<>(upstreamCaFiles);
    b.bodyLimit = bodyCaptureLimit;
    b.maxDataSize = maxDataSize;
    b.repair = repair;
    b.maxSessions = maxSessions;
    b.session = sessionName;
    b.idleTimeout = idleTimeoutSeconds;
    b.headerTimeout = headTimeoutSeconds;
    b.allowPublic = allowPublicClients;
    b.captureMode = captureMode;
    b.proxyAuth = roomPassword;
    b.keyLog = keyLogFile;
    b.newToken = newToken;
    b.demo = demo;
    b.demoHttpPort = demoHttpPort;
    b.demoHttpsPort = demoHttpsPort;
    b.staticHosts = new LinkedHashMap<>(staticHosts);
    b.portsOpenToRoom = new LinkedHashSet<>(portsOpenToRoom);
    b.upstreamProxy = upstreamProxyUrl;
    b.upstreamProxyBypass = new ArrayList<>(upstreamProxyBypass);
    b.upstreamProxyCredentials = upstreamProxyCredentials;
    b.rawLimit = rawLimit;
    return b;
  }

  /**
   * A new Basic proxy authentication with the room password, or none. Each call makes its own
   * internal password (for the dashboard's replays): make it once per run and share it.
   */
  public ProxyAuth newProxyAuth() {
    return roomPassword == null ? ProxyAuth.none() : ProxyAuth.withRoomPassword(roomPassword);
  }

  /** The options being gathered: picocli's target on the command line, a test's otherwise. */
  public static final class Builder {
    @Option(names = "--proxy-port", description = "proxy port; 0 picks a free port (default ${DEFAULT-VALUE})")
    private int proxyPort = 8080;

    @Option(names = "--dashboard-port", description = "dashboard port; 0 picks a free port (default ${DEFAULT-VALUE})")
    private int dashboardPort = 8081;

    @Option(names = "--listen", description = "proxy bind address (default ${DEFAULT-VALUE}; 0.0.0.0 for a workshop LAN)")
    private String listen = "127.0.0.1";

    @Option(names = "--dashboard-listen", description = "dashboard bind address (default ${DEFAULT-VALUE})")
    private String dashboardListen = "127.0.0.1";

    @Option(names = "--ca-dir", description = "where the root CA is loaded from or generated into (default ${DEFAULT-VALUE})")
    private Path caDir = Path.of("ca");

    @Option(names = "--data-dir", description = "where captured sessions and the dashboard's token are stored (default ${DEFAULT-VALUE})")
    private Path dataDir = Path.of("data");

    @Option(names = "--passthrough", split = ",", paramLabel = "HOSTS", description = "comma list of host globs never intercepted, only tunnelled (e.g. *.bank.example)")
    private List<String> passthrough = new ArrayList<>();

    @Option(names = "--upstream-ca", split = ",", paramLabel = "FILE", description = "extra CA certificates (PEM) to trust for upstream servers")
    private List<Path> upstreamCa = new ArrayList<>();

    @Option(names = "--body-limit", description = "bytes of each body kept in a capture (default ${DEFAULT-VALUE}); bodies are always forwarded whole")
    private int bodyLimit = 1024 * 1024;

    @Option(names = "--max-data-size", paramLabel = "SIZE", converter = DataSizeLimit.class, description = "drop the oldest sessions when the store grows beyond this, and pause capture when only the current one is left (e.g. 2GB, 500MB; 0: no limit; default auto: a quarter of the free disk)")
    private long maxDataSize = StoreLimit.AUTO;

    @Option(names = "--repair", description = "if the capture database is damaged, move it aside (kept as plainsight.db.damaged-<time>) and start a new one")
    private boolean repair;

    @Option(names = "--max-sessions", description = "keep at most this many sessions, oldest dropped first (default 0: no limit)")
    private int maxSessions;

    @Option(names = "--session", description = "name of the capture session (default: the date and time)")
    private String session;

    @Option(names = "--idle-timeout", description = "seconds before an idle connection is closed (default ${DEFAULT-VALUE})")
    private int idleTimeout = 70;

    @Option(names = "--header-timeout", description = "seconds a client may take to send a request head once it started (slow clients are closed with 408; 0: no limit; default ${DEFAULT-VALUE})")
    private int headerTimeout = 20;

    @Option(names = "--allow-public", description = "also serve clients outside loopback and private networks (an open proxy: only with care)")
    private boolean allowPublic;

    @Option(names = "--capture", description = "what is recorded: FULL, NO_TAP (flows without the raw TLS record tap) or OFF (nothing; to measure what capture costs). Default ${DEFAULT-VALUE}")
    private CaptureMode captureMode = CaptureMode.FULL;

    // The room password is told to the whole room, so it is no high-value secret; still, it can
    // come from the environment to keep it out of the shell history and the process list.
    @Option(names = "--proxy-auth", paramLabel = "PASSWORD", defaultValue = "${env:PLAINSIGHT_PROXY_AUTH}", description = "require proxy authentication (Basic): each participant gives their own name as user name and this shared room password; flows are tagged with the name (default: the PLAINSIGHT_PROXY_AUTH environment variable, else off)")
    private String proxyAuth;

    @Option(names = "--upstream-proxy", paramLabel = "URL", description = "send Plainsight's own upstream connections through this HTTP proxy, http://HOST:PORT (a venue's or company's proxy); Basic credentials user:password from the PLAINSIGHT_UPSTREAM_PROXY_AUTH environment variable")
    private String upstreamProxy;

    @Option(names = "--upstream-proxy-bypass", split = ",", paramLabel = "HOSTS", description = "comma list of host globs connected to directly, not through --upstream-proxy (e.g. localhost,*.lan,10.*)")
    private List<String> upstreamProxyBypass = new ArrayList<>();

    private String upstreamProxyCredentials;

    @Option(names = "--raw-limit", paramLabel = "BYTES", description = "raw bytes of each connection leg kept for the packet captures (default ${DEFAULT-VALUE}; 0 turns raw capture off)")
    private long rawLimit = dev.plainsight.pcap.LegIndex.DEFAULT_LIMIT;

    @Option(names = "--keylog", paramLabel = "FILE", defaultValue = "${env:SSLKEYLOGFILE}", description = "append the TLS secrets of both legs of every intercepted connection to FILE (NSS key log format, for Wireshark; created 0600). Anyone with the file can decrypt the captured traffic (default: the SSLKEYLOGFILE environment variable, else off)")
    private Path keyLog;

    @Option(names = "--new-token", description = "make a new dashboard token (the old dashboard URL stops working); without it, the token kept in the data directory is reused, so a bookmarked dashboard URL survives restarts")
    private boolean newToken;

    @Option(names = "--demo", description = "also start the built-in demo site and drive the story through the proxy (into a new session \"Demo\"; later traffic goes to the live session)")
    private boolean demo;

    @Option(names = "--demo-http-port", description = "demo site's HTTP port with --demo (default ${DEFAULT-VALUE}; 0 picks one)")
    private int demoHttpPort = 8180;

    @Option(names = "--demo-https-port", description = "demo site's HTTPS port with --demo (default ${DEFAULT-VALUE}; 0 picks one)")
    private int demoHttpsPort = 8443;

    private Map<String, String> staticHosts = new LinkedHashMap<>();
    private Set<Integer> portsOpenToRoom = new LinkedHashSet<>();

    Builder() {}

    public Builder proxyPort(int port) { proxyPort = port; return this; }
    public Builder dashboardPort(int port) { dashboardPort = port; return this; }
    /** The proxy's bind address ({@code 0.0.0.0} for a workshop LAN). */
    public Builder listen(String address) { listen = address; return this; }
    public Builder dashboardListen(String address) { dashboardListen = address; return this; }
    public Builder caDir(Path dir) { caDir = dir; return this; }
    public Builder dataDir(Path dir) { dataDir = dir; return this; }
    public Builder passthrough(List<String> globs) { passthrough = new ArrayList<>(globs); return this; }
    public Builder addPassthrough(String glob) { passthrough.add(glob); return this; }
    public Builder upstreamCaFiles(List<Path> files) { upstreamCa = new ArrayList<>(files); return this; }
    public Builder addUpstreamCaFile(Path file) { upstreamCa.add(file); return this; }
    public Builder bodyCaptureLimit(int bytes) { bodyLimit = bytes; return this; }
    /** Bytes the store may hold ({@link StoreLimit#AUTO}: a quarter of the free disk; 0: no limit). */
    public Builder maxDataSize(long bytes) { maxDataSize = bytes; return this; }
    public Builder repair(boolean on) { repair = on; return this; }
    public Builder maxSessions(int count) { maxSessions = count; return this; }
    public Builder sessionName(String name) { session = name; return this; }
    public Builder idleTimeoutSeconds(int seconds) { idleTimeout = seconds; return this; }
    public Builder headTimeoutSeconds(int seconds) { headerTimeout = seconds; return this; }
    /** Serve clients from public addresses too ({@code --allow-public}). */
    public Builder allowPublicClients(boolean allow) { allowPublic = allow; return this; }
    public Builder captureMode(CaptureMode mode) { captureMode = mode; return this; }
    /** Basic proxy authentication: participant name as user name, this room password shared. */
    public Builder roomPassword(String password) { proxyAuth = password; return this; }
    public Builder keyLogFile(Path file) { keyLog = file; return this; }
    /** Raw bytes kept of each connection leg for the packet captures (0: none). */
    public Builder rawLimit(long bytes) { rawLimit = bytes; return this; }
    public Builder newToken(boolean renew) { newToken = renew; return this; }
    public Builder demo(boolean on) { demo = on; return this; }
    public Builder demoPorts(int http, int https) { demoHttpPort = http; demoHttpsPort = https; return this; }
    /** Host names the proxy resolves itself (the demo site's workshop name). */
    public Builder staticHosts(Map<String, String> hosts) { staticHosts = new LinkedHashMap<>(hosts); return this; }
    /** Plainsight's own upstream connections go through this proxy ({@code http://HOST:PORT}). */
    public Builder upstreamProxy(String url) { upstreamProxy = url; return this; }
    public Builder upstreamProxyBypass(List<String> globs) { upstreamProxyBypass = new ArrayList<>(globs); return this; }
    public Builder addUpstreamProxyBypass(String glob) { upstreamProxyBypass.add(glob); return this; }
    /** {@code user:password} for the upstream proxy (from the environment), or null. */
    public Builder upstreamProxyCredentials(String credentials) { upstreamProxyCredentials = credentials; return this; }
    public boolean hasUpstreamProxy() { return upstreamProxy != null; }
    /** Ports of this machine that clients on other machines may reach (the demo site's). */
    public Builder portsOpenToRoom(Set<Integer> ports) { portsOpenToRoom = new LinkedHashSet<>(ports); return this; }

    /** The options, checked; {@link Invalid} names the option that cannot work. */
    public Options build() {
      port("--proxy-port", proxyPort);
      port("--dashboard-port", dashboardPort);
      port("--demo-http-port", demoHttpPort);
      port("--demo-https-port", demoHttpsPort);
      if (proxyPort != 0 && proxyPort == dashboardPort) {
        throw new Invalid("the proxy and the dashboard cannot share port " + proxyPort
            + ": pass a different --proxy-port or --dashboard-port");
      }
      for (Path file : upstreamCa) {
        if (!Files.isReadable(file)) {
          throw new Invalid("--upstream-ca " + file + " is not a readable file");
        }
      }
      if (proxyAuth != null && proxyAuth.isEmpty()) {
        throw new Invalid("--proxy-auth needs a room password that is not empty");
      }
      if (proxyAuth != null && !captureMode.records()) {
        throw new Invalid("--proxy-auth tags flows with participants: it cannot be combined with "
            + "--capture OFF");
      }
      atLeast("--body-limit", bodyLimit, 0);
      atLeast("--max-sessions", maxSessions, 0);
      atLeast("--idle-timeout", idleTimeout, 0);
      atLeast("--header-timeout", headerTimeout, 0);
      atLeast("--raw-limit", rawLimit, 0);
      if (maxDataSize < 0 && maxDataSize != StoreLimit.AUTO) {
        throw new Invalid("--max-data-size must be a size, 0 (no limit) or auto");
      }
      if (upstreamProxy == null && !upstreamProxyBypass.isEmpty()) {
        throw new Invalid("--upstream-proxy-bypass needs --upstream-proxy");
      }
      Path keyLogFile = keyLog == null || keyLog.toString().isBlank() ? null : keyLog;
      Options options = new Options(proxyPort, dashboardPort, listen, dashboardListen, caDir,
          dataDir, passthrough, upstreamCa, bodyLimit, maxDataSize, repair, maxSessions, session,
          idleTimeout, headerTimeout, allowPublic, captureMode, proxyAuth, keyLogFile, newToken,
          demo, demoHttpPort, demoHttpsPort, staticHosts, portsOpenToRoom, upstreamProxy,
          upstreamProxyBypass, upstreamProxyCredentials, rawLimit);
      try {
        options.upstreamProxy();
      } catch (IllegalArgumentException e) {
        throw new Invalid(e.getMessage());
      }
      return options;
    }

    private static void port(String option, int port) {
      if (port < 0 || port > 65535) {
        throw new Invalid(option + " must be a port from 0 to 65535, not " + port);
      }
    }

    private static void atLeast(String option, long value, long min) {
      if (value < min) {
        throw new Invalid(option + " must be at least " + min + ", not " + value);
      }
    }
  }
}
