package dev.plainsight;

import dev.plainsight.ca.CaException;
import dev.plainsight.capture.CaptureMode;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.demo.DemoSite;
import dev.plainsight.demo.DemoStep;
import dev.plainsight.demo.DemoStory;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.store.StoreLimit;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command line (SPEC.md): parses options, starts {@link Plainsight}, prints where everything
 * is, and runs until stopped. A user mistake (bad option, port in use, unreadable CA) is one line
 * on stderr and exit code 2.
 */
@Command(name = "plainsight", mixinStandardHelpOptions = true, sortOptions = false,
    version = "Plainsight 0.1",
    description = "An interception proxy for teaching how HTTP and HTTPS look on the wire.")
public final class Main implements Callable<Integer> {
  static final int USER_ERROR = 2;
  static final String TUNNEL_BASIC_PROPERTY = "jdk.http.auth.tunneling.disabledSchemes";

  @Spec CommandSpec spec;

  @Option(names = "--proxy-port", defaultValue = "8080", description = "proxy port; 0 picks a free port (default ${DEFAULT-VALUE})")
  int proxyPort;

  @Option(names = "--dashboard-port", defaultValue = "8081", description = "dashboard port; 0 picks a free port (default ${DEFAULT-VALUE})")
  int dashboardPort;

  @Option(names = "--listen", defaultValue = "127.0.0.1", description = "proxy bind address (default ${DEFAULT-VALUE}; 0.0.0.0 for a workshop LAN)")
  String listen;

  @Option(names = "--dashboard-listen", defaultValue = "127.0.0.1", description = "dashboard bind address (default ${DEFAULT-VALUE})")
  String dashboardListen;

  @Option(names = "--ca-dir", defaultValue = "ca", description = "where the root CA is loaded from or generated into (default ${DEFAULT-VALUE})")
  Path caDir;

  @Option(names = "--data-dir", defaultValue = "data", description = "where captured sessions are stored (default ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--passthrough", split = ",", paramLabel = "HOSTS", description = "comma list of host globs never intercepted, only tunnelled (e.g. *.bank.example)")
  List<String> passthrough = new ArrayList<>();

  @Option(names = "--upstream-ca", split = ",", paramLabel = "FILE", description = "extra CA certificates (PEM) to trust for upstream servers")
  List<Path> upstreamCa = new ArrayList<>();

  @Option(names = "--raw-limit", paramLabel = "BYTES", defaultValue = "262144", description = "raw bytes of each connection leg kept for the packet captures (default ${DEFAULT-VALUE}; 0 turns raw capture off)")
  long rawLimit;

  @Option(names = "--body-limit", defaultValue = "1048576", description = "bytes of each body kept in a capture (default ${DEFAULT-VALUE}); bodies are always forwarded whole")
  int bodyLimit;

  @Option(names = "--max-data-size", defaultValue = "auto", paramLabel = "SIZE", converter = DataSizeLimit.class, description = "drop the oldest sessions when the store grows beyond this, and pause capture when only the current one is left (e.g. 2GB, 500MB; 0: no limit; default auto: a quarter of the free disk)")
  long maxDataSize;

  @Option(names = "--repair", description = "if the capture database is damaged, move it aside (kept as plainsight.db.damaged-<time>) and start a new one")
  boolean repair;

  private long storeLimit;

  @Option(names = "--max-sessions", defaultValue = "0", description = "keep at most this many sessions, oldest dropped first (default 0: no limit)")
  int maxSessions;

  @Option(names = "--session", description = "name of the capture session (default: the date and time)")
  String session;

  @Option(names = "--idle-timeout", defaultValue = "70", description = "seconds before an idle connection is closed (default ${DEFAULT-VALUE})")
  int idleTimeout;

  @Option(names = "--header-timeout", defaultValue = "20", description = "seconds a client may take to send a request head once it started (slow clients are closed with 408; 0: no limit; default ${DEFAULT-VALUE})")
  int headerTimeout;

  @Option(names = "--allow-public", description = "also serve clients outside loopback and private networks (an open proxy: only with care)")
  boolean allowPublic;

  @Option(names = "--capture", defaultValue = "FULL", description = "what is recorded: FULL, NO_TAP (flows without the raw TLS record tap) or OFF (nothing; to measure what capture costs). Default ${DEFAULT-VALUE}")
  CaptureMode captureMode;

  // The room password is told to the whole room, so it is no high-value secret; still, it can
  // come from the environment to keep it out of the shell history and the process list.
  @Option(names = "--proxy-auth", paramLabel = "PASSWORD", defaultValue = "${env:PLAINSIGHT_PROXY_AUTH}", description = "require proxy authentication (Basic): each participant gives their own name as user name and this shared room password; flows are tagged with the name (default: the PLAINSIGHT_PROXY_AUTH environment variable, else off)")
  String proxyAuth;

  @Option(names = "--keylog", paramLabel = "FILE", defaultValue = "${env:SSLKEYLOGFILE}", description = "append the TLS secrets of both legs of every intercepted connection to FILE (NSS key log format, for Wireshark; created 0600). Anyone with the file can decrypt the captured traffic (default: the SSLKEYLOGFILE environment variable, else off)")
  String keyLogFile;

  @Option(names = "--demo", description = "also start the built-in demo site and drive the story through the proxy (session \"Demo\")")
  boolean demo;

  @Option(names = "--demo-http-port", defaultValue = "8180", description = "demo site's HTTP port with --demo (default ${DEFAULT-VALUE}; 0 picks one)")
  int demoHttpPort;

  @Option(names = "--demo-https-port", defaultValue = "8443", description = "demo site's HTTPS port with --demo (default ${DEFAULT-VALUE}; 0 picks one)")
  int demoHttpsPort;

  public static void main(String[] args) {
    // the JDK HTTP client refuses to send Basic proxy credentials on a CONNECT unless this is
    // empty; the --demo clients need it behind --proxy-auth (read once, so set before any use)
    if (System.getProperty(TUNNEL_BASIC_PROPERTY) == null) {
      System.setProperty(TUNNEL_BASIC_PROPERTY, "");
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, ignored) -> {
      err.println("plainsight: " + ex.getMessage() + " (see --help)");
      return USER_ERROR;
    });
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      err.println("plainsight: " + userMessage(ex));
      return USER_ERROR;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    for (Path file : upstreamCa) {
      if (!Files.isReadable(file)) {
        throw new CaException("--upstream-ca " + file + " is not a readable file");
      }
    }
    if (proxyAuth != null && proxyAuth.isEmpty()) {
      throw new UserError("--proxy-auth needs a room password that is not empty");
    }
    if (proxyAuth != null && !captureMode.records()) {
      throw new UserError("--proxy-auth tags flows with participants: it cannot be combined with "
          + "--capture OFF");
    }
    if (proxyPort != 0 && proxyPort == dashboardPort) {
      throw new UserError("the proxy and the dashboard cannot share port " + proxyPort
          + ": pass a different --proxy-port or --dashboard-port");
    }
    if (repair) {
      dev.plainsight.store.DatabaseCheck.moveAsideIfDamaged(dataDir).ifPresent(aside ->
          spec.commandLine().getOut().println("Repair:         the damaged database was moved "
              + "aside to " + aside.toAbsolutePath() + "; starting with a new one"));
    }
    if (rawLimit < 0) {
      throw new UserError("--raw-limit must be 0 or more bytes, not " + rawLimit);
    }
    KeyLog keyLog = openKeyLog();
    DemoSite site = demo ? DemoSite.start(caDir.resolve("demo"), demoHttpPort, demoHttpsPort) : null;
    Plainsight plainsight;
    try {
      plainsight = Plainsight.start(config(site), keyLog, rawLimit);
    } catch (RuntimeException e) {
      if (site != null) {
        site.close();
      }
      keyLog.close();
      String taken = isBindFailure(e) ? portInUse() : null;
      throw taken == null ? e : new UserError(taken, e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      plainsight.close();
      if (site != null) {
        site.close();
      }
      keyLog.close();
      stopped.countDown();
    }, "plainsight-shutdown"));
    var proxy = plainsight.proxyAddress();
    PrintWriter out = spec.commandLine().getOut();
    out.println("Proxy:          " + proxyAddresses(proxy));
    out.println("Dashboard:      " + plainsight.dashboardUrl());
    out.println("CA certificate: " + plainsight.ca().certificatePath().toAbsolutePath());
    out.println("CA SHA-256:     " + plainsight.ca().sha256Fingerprint());
    out.println("Store limit:    " + StoreLimit.describe(maxDataSize, storeLimit));
    if (keyLog.isOn()) {
      out.println(KeyLogBanner.lines(keyLog, keyLogFile.equals(System.getenv("SSLKEYLOGFILE"))));
    }
    if (proxyAuth != null) {
      out.println("Proxy auth:     on: user name = each participant's own name, password = the "
          + "room password");
    }
    out.flush();
    if (site != null) {
      runDemo(plainsight, site, out, proxyAuth);
    }
    stopped.await();
    return 0;
  }

  private KeyLog openKeyLog() throws UserError {
    if (keyLogFile == null || keyLogFile.isBlank()) {
      return KeyLog.off();
    }
    try {
      return KeyLog.open(Path.of(keyLogFile));
    } catch (IOException | RuntimeException e) {
      throw new UserError("--keylog " + keyLogFile + " cannot be written (" + e.getMessage()
          + "): pass a file in a directory you can write to", e);
    }
  }

  /** A mistake in what the user asked for, already phrased as the one line to print. */
  private static final class UserError extends Exception {
    UserError(String message) {
      super(message);
    }

    UserError(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * After a failed start (which closes whatever it had started), names the port that is taken and
   * its option; null if neither port is taken.
   */
  private String portInUse() {
    if (isInUse(listen, proxyPort)) {
      return "port " + proxyPort + " on " + listen + " is already in use: pass --proxy-port with "
          + "a free port, or 0 to pick one";
    }
    if (isInUse(dashboardListen, dashboardPort)) {
      return "port " + dashboardPort + " on " + dashboardListen + " is already in use: pass "
          + "--dashboard-port with a free port, or 0 to pick one";
    }
    return null;
  }

  private static boolean isInUse(String host, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(host, port));
      return false;
    } catch (IOException e) {
      return String.valueOf(e.getMessage()).contains("already in use");
    }
  }

  private static boolean isBindFailure(Throwable ex) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The proxy's address as a participant would type it: for a listener on all addresses, the
   * machine's own addresses (IPv4 first, loopback last), not {@code 0:0:0:0:0:0:0:0}.
   */
  static String proxyAddresses(java.net.InetSocketAddress proxy) {
    List<String> urls = dev.plainsight.net.ListenerAddresses.reachable(proxy.getAddress()).stream()
        .map(a -> url(a, proxy.getPort())).toList();
    return proxy.getAddress().isAnyLocalAddress()
        ? String.join(" or ", urls) + " (listening on all addresses)" : urls.get(0);
  }

  private static String url(java.net.InetAddress address, int port) {
    String host = address.getHostAddress().replaceFirst("%.*$", "");
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The configuration from the options; with the demo site, its CA is trusted upstream, its
   * public name resolves to this machine and "localhost" is tunnelled (scenario b).
   */
  private Plainsight.Config config(DemoSite site) {
    List<String> tunnelled = new ArrayList<>(passthrough);
    List<Path> trusted = new ArrayList<>(upstreamCa);
    Map<String, String> hosts = Map.of();
    if (site != null) {
      tunnelled.add("localhost");
      trusted.add(site.demoCaPem());
      hosts = Map.of(DemoSite.PUBLIC_NAME, "127.0.0.1");
    }
    storeLimit = StoreLimit.resolve(maxDataSize, dataDir);
    return new Plainsight.Config(listen, proxyPort, dashboardListen, dashboardPort, caDir,
        dataDir, tunnelled, trusted, bodyLimit, storeLimit, maxSessions, session, idleTimeout,
        allowPublic, hosts, captureMode,
        proxyAuth == null ? ProxyAuth.none() : ProxyAuth.withRoomPassword(proxyAuth),
        headerTimeout, site == null ? Set.of() : Set.of(site.httpPort(), site.httpsPort()));
  }

  private static void runDemo(Plainsight plainsight, DemoSite site, PrintWriter out,
      String roomPassword) {
    plainsight.room().offerDemoCa(site.demoCaCertificate());
    plainsight.sessions().start("Demo");
    List<DemoStep> steps = DemoStory.run(plainsight.proxyAddress(), plainsight.ca().certificate(),
        site, roomPassword == null ? null
            : new DemoStory.ProxyLogin(DemoStory.DEMO_PARTICIPANT, roomPassword));
    out.println("Demo site:      " + site.httpUrl(DemoSite.PUBLIC_NAME, "/") + " and "
        + site.httpsUrl(DemoSite.PUBLIC_NAME, "/") + " (through the proxy)");
    out.println(DemoStory.guide(steps));
    out.flush();
  }

  /** One line a user can act on, for the errors a user can cause. */
  static String userMessage(Throwable ex) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause instanceof UserError || cause instanceof CaException) {
        return cause.getMessage();
      }
      if (cause instanceof BindException) {
        return "a port is already in use or the address cannot be bound (" + cause.getMessage()
            + "): pass --proxy-port / --dashboard-port, or 0 to pick a free one";
      }
    }
    String text = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    if (text.toLowerCase().contains("address already in use") || text.contains("Failed to bind")) {
      return "a port is already in use (" + text + "): pass --proxy-port / --dashboard-port, or 0";
    }
    return text;
  }
}
