package dev.plainsight;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command with --demo, as a newcomer runs it: a real process, real output. */
class MainDemoTest {
  @TempDir Path dir;

  @Test
  void theDemoStartsTheSiteDrivesTheStoryAndPrintsTheGuide() throws Exception {
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--demo", "--proxy-port", "0", "--dashboard-port", "0", "--demo-http-port", "0",
        "--demo-https-port", "0", "--ca-dir", dir.resolve("ca").toString(),
        "--data-dir", dir.resolve("data").toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
        lines.add(line);
        if (lines.stream().anyMatch(l -> l.startsWith("Demo site:"))
            && line.isBlank() && lines.size() > 12) {
          break;
        }
      }
      String proxy = lines.stream().filter(l -> l.startsWith("Proxy:")).findFirst()
          .map(l -> l.substring("Proxy:".length()).trim()).orElseThrow();
      String page = dev.plainsight.testing.Curl.run("-s", "-x", proxy, "http://plainsight/")
          .stdout();
      assertTrue(page.contains("With the demo site: the Demo Web Root CA"),
          "the participants' page offers the demo site's CA: " + page);
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
    String output = String.join("\n", lines);
    assertTrue(output.contains("Dashboard:      http://127.0.0.1:"), output);
    assertTrue(output.contains("Demo site:"), output);
    assertTrue(output.contains("sunflower-42") || output.toLowerCase().contains("password"),
        "the guide tells what to look for: " + output);
  }
}
