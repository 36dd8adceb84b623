package dev.plainsight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Firefox ESR with a fresh profile whose only proxy is Plainsight (set in the
 * profile's {@code user.js}, loopback included) and which trusts Plainsight's CA only when given
 * its PEM (imported with {@code certutil} into the profile's {@code cert9.db}, as the workshop
 * guide tells participants). Driven over WebDriver BiDi, which Firefox serves itself: no
 * geckodriver. The profile also turns off Firefox's own background services, so the proxy sees
 * only what the test asks for (and never resolves a public name).
 */
public final class Firefox implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CANDIDATES = List.of("/usr/bin/firefox-esr",
      "/usr/bin/firefox");
  private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final Listener listener;
  private final AtomicInteger ids = new AtomicInteger();
  private final String context;

  private Firefox(Process process, Path profile, WebSocket socket, Listener listener)
      throws Exception {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
    this.listener = listener;
    call("session.new", JSON.createObjectNode().set("capabilities", JSON.createObjectNode()));
    this.context = call("browsingContext.getTree", JSON.createObjectNode())
        .path("result").path("contexts").get(0).path("context").asText();
  }

  /** The browser binary: {@code $FIREFOX} if set, else Debian's. Missing: the test fails. */
  public static Path binary() {
    List<String> tried = new ArrayList<>();
    String override = System.getenv("FIREFOX");
    if (override != null && !override.isBlank()) {
      tried.add(override);
    }
    tried.addAll(CANDIDATES);
    for (String candidate : tried) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("no Firefox found (tried " + tried + "): install it with "
        + "`apt-get install -y firefox-esr` (CI=" + System.getenv("CI") + "), or set FIREFOX");
  }

  /**
   * Starts Firefox with every request going through {@code proxyPort} on 127.0.0.1; {@code
   * trustedCaPem} (may be null) is imported into the profile as a trusted authority for web sites.
   */
  public static Firefox launchThroughProxy(int proxyPort, Path trustedCaPem) throws Exception {
    Path profile = Files.createTempDirectory("plainsight-firefox");
    Files.writeString(profile.resolve("user.js"), userJs(proxyPort));
    if (trustedCaPem != null) {
      certutil(profile, "-N", "--empty-password");
      certutil(profile, "-A", "-n", "Plainsight CA", "-t", "C,,", "-i", trustedCaPem.toString());
    }
    List<String> command = List.of(binary().toString(), "--headless", "--no-remote",
        "--profile", profile.toString(), "--remote-debugging-port", "0", "about:blank");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    // A release build honours services.settings.server (remote settings) only with this set.
    builder.environment().put("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1");
    Process process = builder.start();
    BufferedReader err = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> endpoint = CompletableFuture.supplyAsync(() -> {
      StringBuilder seen = new StringBuilder();
      try {
        for (String line; (line = err.readLine()) != null; ) {
          Matcher matcher = LISTENING.matcher(line);
          if (matcher.find()) {
            drain(err);
            return matcher.group(1);
          }
          seen.append(line).append('\n');
        }
      } catch (IOException e) {
        seen.append(e);
      }
      throw new IllegalStateException("firefox did not start WebDriver BiDi: " + seen);
    });
    try {
      Listener listener = new Listener();
      WebSocket socket = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
          .newWebSocketBuilder()
          .buildAsync(URI.create(endpoint.get(60, TimeUnit.SECONDS) + "/session"), listener)
          .get(20, TimeUnit.SECONDS);
      return new Firefox(process, profile, socket, listener);
    } catch (Exception e) {
      process.destroyForcibly();
      deleteTree(profile);
      throw new AssertionError("firefox did not start: " + e.getMessage(), e);
    }
  }

  /**
   * Loads {@code url} in the tab and waits for its load event; returns null when it loaded, or
   * the browser's error text when the navigation failed (e.g. a certificate it does not trust).
   */
  public String navigate(String url) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("context", context).put("url", url)
        .put("wait", "complete");
    JsonNode reply = call("browsingContext.navigate", params);
    return reply.has("error") ? reply.path("error").asText() + ": " + reply.path("message").asText()
        : null;
  }

  /** The value of a JavaScript expression in the tab (awaited if a promise); a throw fails. */
  public JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("expression", expression)
        .put("awaitPromise", true).put("resultOwnership", "none");
    params.putObject("target").put("context", context);
    JsonNode reply = call("script.evaluate", params);
    JsonNode result = reply.path("result");
    if (reply.has("error") || "exception".equals(result.path("type").asText())) {
      throw new AssertionError("in the page, " + expression + " failed: " + reply);
    }
    return result.path("result").path("value");
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    listener.pending.put(id, answer);
    socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    return answer.get(60, TimeUnit.SECONDS);
  }

  /** Ends the browser and its child processes, then deletes the profile. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    socket.abort();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    deleteTree(profile);
  }

  /**
   * The profile's preferences: a manual proxy for http, https and WebSocket (loopback included,
   * which Firefox exempts by default), no DNS over HTTPS, and Firefox's background services off
   * (updates, telemetry, remote settings, safe browsing, captive-portal and connectivity checks,
   * push, prefetching), on top of what Firefox's remote agent turns off itself.
   */
  private static String userJs(int proxyPort) {
    Map<String, Object> prefs = new java.util.LinkedHashMap<>();
    prefs.put("network.proxy.type", 1);
    prefs.put("network.proxy.http", "127.0.0.1");
    prefs.put("network.proxy.http_port", proxyPort);
    prefs.put("network.proxy.ssl", "127.0.0.1");
    prefs.put("network.proxy.ssl_port", proxyPort);
    prefs.put("network.proxy.no_proxies_on", "");
    prefs.put("network.proxy.allow_hijacking_localhost", true);
    prefs.put("network.proxy.share_proxy_settings", false);
    prefs.put("network.trr.mode", 5);
    prefs.put("network.dns.disablePrefetch", true);
    prefs.put("network.prefetch-next", false);
    prefs.put("network.predictor.enabled", false);
    prefs.put("network.http.speculative-parallel-limit", 0);
    prefs.put("network.captive-portal-service.enabled", false);
    prefs.put("network.connectivity-service.enabled", false);
    prefs.put("browser.safebrowsing.malware.enabled", false);
    prefs.put("browser.safebrowsing.phishing.enabled", false);
    prefs.put("browser.safebrowsing.downloads.enabled", false);
    prefs.put("browser.safebrowsing.provider.mozilla.updateURL", "");
    prefs.put("browser.safebrowsing.provider.google4.updateURL", "");
    prefs.put("app.update.auto", false);
    prefs.put("app.update.enabled", false);
    prefs.put("app.normandy.enabled", false);
    prefs.put("services.settings.server", "data:,#remote-settings-off/v1");
    prefs.put("toolkit.telemetry.enabled", false);
    prefs.put("toolkit.telemetry.server", "");
    prefs.put("datareporting.healthreport.uploadEnabled", false);
    prefs.put("datareporting.policy.dataSubmissionEnabled", false);
    prefs.put("dom.push.enabled", false);
    prefs.put("dom.push.connection.enabled", false);
    prefs.put("extensions.getAddons.cache.enabled", false);
    prefs.put("extensions.update.enabled", false);
    prefs.put("extensions.blocklist.enabled", false);
    prefs.put("media.gmp-manager.url", "");
    prefs.put("media.gmp-gmpopenh264.enabled", false);
    prefs.put("browser.region.network.url", "");
    prefs.put("browser.region.update.enabled", false);
    prefs.put("browser.newtabpage.enabled", false);
    prefs.put("browser.startup.homepage", "about:blank");
    prefs.put("browser.startup.page", 0);
    prefs.put("browser.shell.checkDefaultBrowser", false);
    prefs.put("browser.aboutwelcome.enabled", false);
    prefs.put("browser.contentblocking.report.show_mobile_app", false);
    prefs.put("geo.provider.network.url", "");
    prefs.put("identity.fxaccounts.enabled", false);
    prefs.put("security.OCSP.enabled", 0);
    prefs.put("security.remote_settings.crlite_filters.enabled", false);
    prefs.put("security.remote_settings.intermediates.enabled", false);
    prefs.put("messaging-system.rsexperimentloader.enabled", false);
    prefs.put("browser.ping-centre.telemetry", false);
    StringBuilder js = new StringBuilder();
    prefs.forEach((name, value) -> js.append("user_pref(\"").append(name).append("\", ")
        .append(value instanceof String text ? "\"" + text + "\"" : value).append(");\n"));
    return js.toString();
  }

  private static void certutil(Path profile, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("certutil", "-d", "sql:" + profile));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("certutil " + String.join(" ", arguments) + " failed (install "
          + "Debian's libnss3-tools): " + output);
    }
  }

  private static void drain(BufferedReader reader) {
    Thread drainer = new Thread(() -> {
      try {
        while (reader.readLine() != null) {
          // keep the pipe empty so the browser never blocks on its log
        }
      } catch (IOException ignored) {
        // the browser exited
      }
    }, "firefox-stderr");
    drainer.setDaemon(true);
    drainer.start();
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temp profile left behind is harmless
    }
  }

  private static final class Listener implements WebSocket.Listener {
    final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(partial.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> waiting = pending.remove(message.get("id").asInt());
            if (waiting != null) {
              waiting.complete(message);
            }
          }
        } catch (IOException ignored) {
          // an event we did not subscribe to
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
