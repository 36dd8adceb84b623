package dev.plainsight.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code tshark} (Wireshark's command line) reading a capture file, for tests that must
 * prove a file opens in Wireshark and shows what it should. Missing tshark fails the test.
 */
public final class Tshark {
  private Tshark() {}

  /** {@code tshark -r FILE ARGS…}: its standard output; a non-zero exit fails the test. */
  public static String read(Path file, String... arguments) throws Exception {
    Path binary = Path.of("/usr/bin/tshark");
    if (!Files.isExecutable(binary)) {
      throw new AssertionError("no tshark: install it with `apt-get install -y tshark` (CI="
          + System.getenv("CI") + ")");
    }
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-n", "-r", file.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("tshark " + command + " failed: " + err.join());
    }
    return out;
  }

  /** The capture's expert warnings and errors about TCP (lost, repeated or unseen segments). */
  public static List<String> tcpProblems(Path file) throws Exception {
    String analysis = read(file, "-Y", "tcp.analysis.flags && !tcp.analysis.window_update",
        "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message");
    return analysis.lines().filter(line -> !line.isBlank()).toList();
  }
}
