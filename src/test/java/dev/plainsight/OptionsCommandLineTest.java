package dev.plainsight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.capture.CaptureMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command-line option reaches the {@link Options}: a table of (arguments, what the options
 * then hold), parsed by Main's own picocli command, and a check that the table names every option
 * Main has (a new option without a row fails here).
 */
class OptionsCommandLineTest {
  private static final Path FILE = Path.of("pom.xml");

  record Row(List<String> args, Function<Options, Object> read, Object expected) {}

  static List<Row> table() {
    return List.of(
        new Row(List.of("--proxy-port", "9090"), Options::proxyPort, 9090),
        new Row(List.of("--dashboard-port", "9091"), Options::dashboardPort, 9091),
        new Row(List.of("--listen", "0.0.0.0"), Options::listen, "0.0.0.0"),
        new Row(List.of("--dashboard-listen", "::1"), Options::dashboardListen, "::1"),
        new Row(List.of("--ca-dir", "my-ca"), Options::caDir, Path.of("my-ca")),
        new Row(List.of("--data-dir", "my-data"), Options::dataDir, Path.of("my-data")),
        new Row(List.of("--passthrough", "*.bank.example,localhost"), Options::passthrough,
            List.of("*.bank.example", "localhost")),
        new Row(List.of("--upstream-ca", FILE.toString()), Options::upstreamCaFiles, List.of(FILE)),
        new Row(List.of("--body-limit", "4096"), Options::bodyCaptureLimit, 4096),
        new Row(List.of("--max-data-size", "2MB"), Options::maxDataSize, 2L << 20),
        new Row(List.of("--repair"), Options::repair, true),
        new Row(List.of("--max-sessions", "7"), Options::maxSessions, 7),
        new Row(List.of("--session", "Lab 1"), Options::sessionName, "Lab 1"),
        new Row(List.of("--idle-timeout", "5"), Options::idleTimeoutSeconds, 5),
        new Row(List.of("--header-timeout", "3"), Options::headTimeoutSeconds, 3),
        new Row(List.of("--allow-public"), Options::allowPublicClients, true),
        new Row(List.of("--capture", "NO_TAP"), Options::captureMode, CaptureMode.NO_TAP),
        new Row(List.of("--proxy-auth", "room-pw"), Options::roomPassword, "room-pw"),
        new Row(List.of("--keylog", "keys.txt"), Options::keyLogFile, Path.of("keys.txt")),
        new Row(List.of("--raw-limit", "4096"), Options::rawLimit, 4096L),
        new Row(List.of("--upstream-proxy", "http://proxy.lan:3128"), Options::upstreamProxyUrl,
            "http://proxy.lan:3128"),
        new Row(List.of("--upstream-proxy-bypass", "*.lan,localhost", "--upstream-proxy",
            "http://proxy.lan:3128"), Options::upstreamProxyBypass, List.of("*.lan", "localhost")),
        new Row(List.of("--new-token"), Options::newToken, true),
        new Row(List.of("--demo"), Options::demo, true),
        new Row(List.of("--demo-http-port", "8181"), Options::demoHttpPort, 8181),
        new Row(List.of("--demo-https-port", "8444"), Options::demoHttpsPort, 8444));
  }

  static Stream<Arguments> rows() {
    return table().stream().map(row -> Arguments.of(String.join(" ", row.args()), row));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theOptionReachesTheOptions(String name, Row row) {
    Options defaults = parse(List.of());
    Options given = parse(row.args());
    assertEquals(row.expected(), row.read().apply(given), name);
    assertTrue(!row.expected().equals(row.read().apply(defaults)),
        name + ": the row's value differs from the default, so the row proves something");
  }

  @Test
  void theTableHasARowForEveryOptionOfMain() {
    Set<String> covered = new java.util.HashSet<>();
    table().forEach(row -> covered.add(row.args().get(0)));
    List<String> missing = new ArrayList<>();
    for (OptionSpec option : new CommandLine(new Main()).getCommandSpec().options()) {
      String name = option.longestName();
      if (!name.equals("--help") && !name.equals("--version") && !covered.contains(name)) {
        missing.add(name);
      }
    }
    assertEquals(List.of(), missing, "options without a row in the table");
  }

  @Test
  void theDefaultsAreTheCommandLinesAndTheBuildersAlike() {
    Options parsed = parse(List.of());
    Options built = Options.builder().build();
    assertEquals(built.toBuilder().roomPassword(parsed.roomPassword())
        .keyLogFile(parsed.keyLogFile()).build(), parsed,
        "picocli's defaults are the builder's (bar the two read from the environment)");
    assertEquals(8080, built.proxyPort());
    assertEquals(8081, built.dashboardPort());
  }

  @Test
  void toBuilderRoundTripsEveryComponent() {
    List<String> all = new java.util.ArrayList<>();
    for (Row row : table()) {
      int end = row.args().size() > 2 ? 2 : row.args().size(); // a row's helper option once only
      all.addAll(row.args().subList(0, end));
    }
    Options options = parse(all);
    assertEquals(options, options.toBuilder().build());
  }

  @Test
  void buildChecksWhatCannotWork() {
    assertThrows(Options.Invalid.class, () -> Options.builder().proxyPort(70000).build());
    assertThrows(Options.Invalid.class,
        () -> Options.builder().proxyPort(9000).dashboardPort(9000).build());
    assertThrows(Options.Invalid.class, () -> Options.builder().roomPassword("").build());
    assertThrows(Options.Invalid.class, () -> Options.builder().roomPassword("pw")
        .captureMode(CaptureMode.OFF).build());
    assertThrows(Options.Invalid.class, () -> Options.builder().bodyCaptureLimit(-1).build());
    assertThrows(Options.Invalid.class,
        () -> Options.builder().upstreamCaFiles(List.of(Path.of("no-such.pem"))).build());
    assertThrows(Options.Invalid.class,
        () -> Options.builder().upstreamProxyBypass(List.of("*.lan")).build());
    assertThrows(Options.Invalid.class,
        () -> Options.builder().upstreamProxy("ftp://proxy.lan:21").build());
  }

  private static Options parse(List<String> args) {
    Main main = new Main();
    new CommandLine(main).parseArgs(args.toArray(String[]::new));
    return main.options.build();
  }
}
