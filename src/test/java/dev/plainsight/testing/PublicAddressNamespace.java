package dev.plainsight.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Linux network namespace joined to this machine by a veth pair with public-looking addresses
 * from TEST-NET-3 (203.0.113.0/24): {@link #hostAddress()} on this side, {@link #clientAddress()}
 * inside ({@link #createPrivate}: private addresses instead). A client run with {@link #curl}
 * comes from an address that is neither loopback nor private (or a LAN's), yet nothing leaves the
 * machine. Needs root and {@code ip} (iproute2): in CI their
 * absence fails the test, elsewhere it is skipped with the reason. {@link #close} removes both.
 */
public final class PublicAddressNamespace implements AutoCloseable {
  private final String namespace;
  private final String hostLink;
  private final String hostAddress;
  private final String clientAddress;

  private PublicAddressNamespace(String namespace, String hostLink, String hostAddress,
      String clientAddress) {
    this.namespace = namespace;
    this.hostLink = hostLink;
    this.hostAddress = hostAddress;
    this.clientAddress = clientAddress;
  }

  public static PublicAddressNamespace create() throws IOException, InterruptedException {
    return create("203.0.113.");
  }

  /**
   * The same with private addresses (10.254.113.0/24): a client on the workshop LAN, which the
   * proxy serves without --allow-public, on another machine than Plainsight's.
   */
  public static PublicAddressNamespace createPrivate() throws IOException, InterruptedException {
    return create("10.254.113.");
  }

  private static PublicAddressNamespace create(String prefix)
      throws IOException, InterruptedException {
    requireRootAndIp();
    int id = ThreadLocalRandom.current().nextInt(1, 63);
    String namespace = "plainsight-test-" + id;
    String hostLink = "psh" + id;
    String clientLink = "psc" + id;
    String hostAddress = prefix + (id * 4 + 1);
    String clientAddress = prefix + (id * 4 + 2);
    run("ip", "netns", "del", namespace); // a leftover of a killed run, if any
    run("ip", "link", "del", hostLink);
    PublicAddressNamespace created =
        new PublicAddressNamespace(namespace, hostLink, hostAddress, clientAddress);
    try {
      check("ip", "netns", "add", namespace);
      check("ip", "link", "add", hostLink, "type", "veth", "peer", "name", clientLink);
      check("ip", "link", "set", clientLink, "netns", namespace);
      check("ip", "addr", "add", hostAddress + "/30", "dev", hostLink);
      check("ip", "link", "set", hostLink, "up");
      check("ip", "netns", "exec", namespace, "ip", "addr", "add", clientAddress + "/30", "dev",
          clientLink);
      check("ip", "netns", "exec", namespace, "ip", "link", "set", clientLink, "up");
      check("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      created.close();
      throw e;
    }
    return created;
  }

  public String hostAddress() {
    return hostAddress;
  }

  public String clientAddress() {
    return clientAddress;
  }

  /** Runs curl inside the namespace, so its requests come from {@link #clientAddress()}. */
  public Curl.Result curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "curl",
        "--max-time", "30"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("curl in the namespace did not finish: " + command);
    }
    return new Curl.Result(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    try {
      run("ip", "link", "del", hostLink);
      run("ip", "netns", "del", namespace);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("could not remove network namespace " + namespace, e);
    }
  }

  private static void requireRootAndIp() throws IOException, InterruptedException {
    String missing = null;
    if (!"0".equals(output("id", "-u").strip())) {
      missing = "root (network namespaces)";
    } else if (run("ip", "netns", "list") != 0) {
      missing = "`ip` from iproute2 (apt-get install -y iproute2)";
    }
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("this test needs " + missing + "; CI must provide it");
      }
      Assumptions.abort("needs " + missing);
    }
  }

  private static void check(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor();
    } catch (IOException notInstalled) {
      return 127;
    }
  }

  private static String output(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }
}
