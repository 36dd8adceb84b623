package dev.plainsight.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real curl binary (installed by .ci/run) and collects its output and exit code. */
public final class Curl {
  private Curl() {}

  /** What curl printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {}

  public static Result run(String... args) throws IOException, InterruptedException {
    return runWithEnvironment(java.util.Map.of(), args);
  }

  /** As {@link #run}, with these environment variables added (e.g. SSLKEYLOGFILE). */
  public static Result runWithEnvironment(java.util.Map<String, String> environment,
      String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("curl");
    command.add("--max-time");
    command.add("60");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("curl did not finish: " + command);
    }
    return new Result(process.exitValue(), out.join(), err.join());
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "unreadable: " + e.getMessage();
      }
    });
  }
}
