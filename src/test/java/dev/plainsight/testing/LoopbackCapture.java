package dev.plainsight.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * tcpdump on loopback into a pcap file, for the given TCP ports, as a trainer runs it (read it
 * back with {@link Tshark}). Needs the Debian packages tcpdump and tshark, and tcpdump needs root
 * (or CAP_NET_RAW): in CI a missing tool fails the test, elsewhere it is skipped. Immediate mode:
 * without it libpcap hands packets over in blocks once a second, and the last block is lost when
 * tcpdump is stopped.
 */
public final class LoopbackCapture implements AutoCloseable {
  private final Process tcpdump;
  private final Path file;

  private LoopbackCapture(Process tcpdump, Path file) {
    this.tcpdump = tcpdump;
    this.file = file;
  }

  /** Starts capturing and returns once tcpdump says it listens. */
  public static LoopbackCapture start(Path file, int... ports) throws IOException {
    require("tcpdump");
    require("tshark");
    List<String> filter = new ArrayList<>();
    for (int port : ports) {
      filter.add("tcp port " + port);
    }
    Process process = new ProcessBuilder("tcpdump", "-i", "lo", "--immediate-mode", "-U", "-s", "0", "-w",
        file.toString(), String.join(" or ", filter)).start();
    BufferedReader err = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
      StringBuilder seen = new StringBuilder();
      try {
        for (String line; (line = err.readLine()) != null; ) {
          seen.append(line).append('\n');
          if (line.contains("listening on")) {
            return null;
          }
        }
      } catch (IOException e) {
        seen.append(e.getMessage());
      }
      return seen.toString();
    });
    String failure;
    try {
      failure = listening.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      failure = "no 'listening on' within 20 s";
    }
    if (failure != null) {
      process.destroyForcibly();
      throw new AssertionError("tcpdump did not start (root is needed): " + failure);
    }
    return new LoopbackCapture(process, file);
  }

  /** Stops tcpdump (it writes out what it holds) and returns the capture file. */
  public Path stop() throws InterruptedException {
    tcpdump.destroy();
    if (!tcpdump.waitFor(20, TimeUnit.SECONDS)) {
      tcpdump.destroyForcibly();
    }
    return file;
  }

  private static void require(String tool) throws IOException {
    try {
      Process which = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
      if (which.waitFor() == 0) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("this test needs " + tool + " (apt-get install -y " + tool
          + "); CI must provide it");
    }
    Assumptions.abort("needs " + tool);
  }

  @Override
  public void close() throws InterruptedException {
    if (tcpdump.isAlive()) {
      stop();
    }
  }
}
