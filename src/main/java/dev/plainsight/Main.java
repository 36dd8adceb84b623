package dev.plainsight;

import dev.plainsight.ca.CaException;
import dev.plainsight.demo.DemoSite;
import dev.plainsight.demo.DemoStory;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.proxy.UpstreamProxy;
import dev.plainsight.store.StoreLimit;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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

  @Mixin Options.Builder options = Options.builder();

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
    Options given;
    try {
      given = options.upstreamProxyCredentials(System.getenv(Options.UPSTREAM_AUTH_VARIABLE))
          .build();
    } catch (Options.Invalid e) {
      throw new UserError(e.getMessage(), e);
    }
    if (given.repair()) {
      dev.plainsight.store.DatabaseCheck.moveAsideIfDamaged(given.dataDir()).ifPresent(aside ->
          spec.commandLine().getOut().println("Repair:         the damaged database was moved "
              + "aside to " + aside.toAbsolutePath() + "; starting with a new one"));
    }
    KeyLog keyLog = openKeyLog(given.keyLogFile());
    DemoSite site = given.demo() ? DemoSite.start(given.caDir().resolve("demo"),
        given.demoHttpPort(), given.demoHttpsPort()) : null;
    Plainsight plainsight;
    try {
      plainsight = Plainsight.start(withDemoSite(given, site), keyLog);
    } catch (RuntimeException e) {
      if (site != null) {
        site.close();
      }
      keyLog.close();
      String taken = isBindFailure(e) ? portInUse(given) : null;
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
    out.println("Token:          " + plainsight.tokenNotice());
    out.println("CA certificate: " + plainsight.ca().certificatePath().toAbsolutePath());
    out.println("CA SHA-256:     " + plainsight.ca().sha256Fingerprint());
    out.println("Store limit:    " + StoreLimit.describe(given.maxDataSize(),
        plainsight.storeLimit()));
    UpstreamProxy upstream = given.upstreamProxy();
    if (upstream != null) {
      out.println("Upstream proxy: " + upstream + (upstream.bypassGlobs().isEmpty() ? ""
          : "; direct for " + String.join(",", upstream.bypassGlobs())));
    }
    if (keyLog.isOn()) {
      out.println(KeyLogBanner.lines(keyLog,
          given.keyLogFile().toString().equals(System.getenv("SSLKEYLOGFILE"))));
    }
    if (given.roomPassword() != null) {
      out.println("Proxy auth:     on: user name = each participant's own name, password = the "
          + "room password");
    }
    out.flush();
    if (site != null) {
      runDemo(plainsight, site, out, given.roomPassword());
    }
    stopped.await();
    return 0;
  }

  private static KeyLog openKeyLog(Path keyLogFile) throws UserError {
    if (keyLogFile == null) {
      return KeyLog.off();
    }
    try {
      return KeyLog.open(keyLogFile);
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
  private static String portInUse(Options o) {
    if (isInUse(o.listen(), o.proxyPort())) {
      return "port " + o.proxyPort() + " on " + o.listen() + " is already in use: pass "
          + "--proxy-port with a free port, or 0 to pick one";
    }
    if (isInUse(o.dashboardListen(), o.dashboardPort())) {
      return "port " + o.dashboardPort() + " on " + o.dashboardListen() + " is already in use: pass "
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
   * The options with the demo site's needs added: its CA trusted upstream, its public name
   * resolving to this machine, "localhost" tunnelled (scenario b), its ports open to the room.
   */
  static Options withDemoSite(Options given, DemoSite site) {
    if (site == null) {
      return given;
    }
    Options.Builder demo = given.toBuilder();
    if (demo.hasUpstreamProxy()) {
      // the demo site runs on this machine, whose "localhost" the upstream proxy cannot reach
      demo.addUpstreamProxyBypass("localhost");
    }
    return demo
        .addPassthrough("localhost")
        .addUpstreamCaFile(site.demoCaPem())
        .staticHosts(Map.of(DemoSite.PUBLIC_NAME, "127.0.0.1"))
        .portsOpenToRoom(Set.of(site.httpPort(), site.httpsPort()))
        .build();
  }

  private static void runDemo(Plainsight plainsight, DemoSite site, PrintWriter out,
      String roomPassword) {
    DemoLaunch.Result demo = DemoLaunch.run(plainsight, site, roomPassword);
    out.println("Demo site:      " + site.httpUrl(DemoSite.PUBLIC_NAME, "/") + " and "
        + site.httpsUrl(DemoSite.PUBLIC_NAME, "/") + " (through the proxy)");
    out.println("Demo session:   \"" + demo.demoName() + "\" holds the story; new "
        + "traffic goes to the session \"" + demo.liveName() + "\"");
    out.println(DemoStory.guide(demo.steps()));
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
