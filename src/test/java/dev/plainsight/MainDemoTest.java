package dev.plainsight;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // the guide ends with step (e) and a blank line
        if (line.isBlank() && lines.stream().anyMatch(l -> l.startsWith("(e) "))) {
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
    String flat = output.replaceAll("\\s+", " "); // the guide wraps at 100 columns
    // the guide: each of the five steps ran as expected, each names the flow kind to look for,
    // and the plain-HTTP step shows the password as the wire carried it
    for (String step : List.of("(a) Log in over plain HTTP", "(b) The same over HTTPS, passed "
        + "through", "(c) The same over HTTPS, intercepted", "(d) HTTPS, CA not trusted",
        "(e) A chat message over WebSocket")) {
      assertTrue(flat.contains(step), "the guide has step " + step + ": " + output);
    }
    assertFalse(output.contains("NOT AS EXPECTED"), "every step ran as expected: " + output);
    for (String kind : List.of("http", "https-tunnel", "https-decrypted", "https-rejected")) {
      assertTrue(flat.contains("look for: the " + kind + " flow."), kind + ": " + output);
    }
    assertTrue(flat.contains(dev.plainsight.demo.DemoStory.FORM + ": the password in clear"),
        "step (a) shows the form with the password in clear: " + output);
    assertTrue(output.contains("Demo session:   \"Demo\" holds the story; new traffic goes to "
        + "the session \""), "the story has a session of its own: " + output);
    assertTrue(output.contains("Token:          new"), "the token line: " + output);
  }
}
