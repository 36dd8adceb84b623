package dev.plainsight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Headless Chromium (Debian's {@code chromium} package, installed by .ci/run), each run with its
 * own throw-away profile and no proxy. Two ways to use it: {@link #dumpDom} loads a page, lets it
 * run its scripts for a virtual time budget and returns the resulting DOM; {@link #launch} starts
 * a browser driven over the DevTools protocol, for pages that must be clicked.
 *
 * <p>A missing browser fails the test with what to install: a browser test is never skipped.
 */
public final class Chromium {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CANDIDATES = List.of("/usr/bin/chromium",
      "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");

  private Chromium() {}

  /** The browser binary: {@code $CHROMIUM} if set, else the first Debian/Google path that exists. */
  public static Path binary() {
    String override = System.getenv("CHROMIUM");
    List<String> tried = new ArrayList<>();
    if (override != null && !override.isBlank()) {
      tried.add(override);
    }
    tried.addAll(CANDIDATES);
    for (String candidate : tried) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return path;
      }
    }
    throw new AssertionError("no Chromium found (tried " + tried + "): install it with "
        + "`apt-get install -y chromium` (CI=" + System.getenv("CI") + "), or set CHROMIUM");
  }

  /** The DOM of {@code url} after its scripts ran for {@code budget} of virtual time. */
  public static String dumpDom(String url, Duration budget) throws IOException, InterruptedException {
    return dumpDomWithProxyPac(null, url, budget);
  }

  /**
   * The same with the browser's only proxy setting an automatic configuration (PAC) URL, as a
   * participant would set it; null means no proxy at all.
   */
  public static String dumpDomWithProxyPac(String pacUrl, String url, Duration budget)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("plainsight-chromium");
    try {
      List<String> command = baseCommand(profile);
      if (pacUrl != null) {
        command.remove("--no-proxy-server");
        command.add("--proxy-pac-url=" + pacUrl);
      }
      command.add("--virtual-time-budget=" + budget.toMillis());
      command.add("--dump-dom");
      command.add(url);
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<String> out = read(process.getInputStream());
      CompletableFuture<String> err = read(process.getErrorStream());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("chromium --dump-dom did not finish within 60 s: " + err.getNow(""));
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("chromium exited " + process.exitValue() + ": " + err.join());
      }
      return out.join();
    } finally {
      deleteTree(profile);
    }
  }

  /** A browser driven over the DevTools protocol; close it to end the process and its profile. */
  public static Browser launch() throws IOException, InterruptedException {
    return launch(List.of());
  }

  /** Like {@link #launch()}, but every request (loopback included) goes through the proxy. */
  public static Browser launchThroughProxy(int proxyPort)
      throws IOException, InterruptedException {
    return launch(List.of("--proxy-server=http://127.0.0.1:" + proxyPort,
        "--proxy-bypass-list=<-loopback>"));
  }

  private static Browser launch(List<String> proxyArguments)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("plainsight-chromium");
    List<String> command = baseCommand(profile);
    if (!proxyArguments.isEmpty()) {
      command.remove("--no-proxy-server");
      command.addAll(proxyArguments);
    }
    command.add("--remote-debugging-port=0");
    command.add("about:blank");
    Process process = new ProcessBuilder(command).start();
    read(process.getInputStream());
    BufferedReader err = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("DevTools listening on (ws://\\S+)");
    CompletableFuture<String> endpoint = CompletableFuture.supplyAsync(() -> {
      StringBuilder seen = new StringBuilder();
      try {
        for (String line; (line = err.readLine()) != null; ) {
          Matcher matcher = listening.matcher(line);
          if (matcher.find()) {
            drain(err);
            return matcher.group(1);
          }
          seen.append(line).append('\n');
        }
      } catch (IOException e) {
        seen.append(e);
      }
      throw new IllegalStateException("chromium did not start its DevTools endpoint: " + seen);
    });
    try {
      return new Browser(process, profile, URI.create(endpoint.get(30, TimeUnit.SECONDS)));
    } catch (Exception e) {
      process.destroyForcibly();
      deleteTree(profile);
      throw new AssertionError("chromium did not start: " + e.getMessage(), e);
    }
  }

  private static List<String> baseCommand(Path profile) {
    return new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-proxy-server", "--user-data-dir=" + profile));
  }

  /** A running headless browser. */
  public static final class Browser implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final URI endpoint;

    private Browser(Process process, Path profile, URI endpoint) {
      this.process = process;
      this.profile = profile;
      this.endpoint = endpoint;
    }

    /** A new tab showing {@code url}. */
    public Page open(String url) throws Exception {
      HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
      String newTarget = "http://" + endpoint.getHost() + ":" + endpoint.getPort() + "/json/new?"
          + URLEncoder.encode(url, StandardCharsets.UTF_8);
      HttpResponse<String> created = http.send(
          HttpRequest.newBuilder(URI.create(newTarget)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 200) {
        throw new AssertionError("DevTools could not open a tab: " + created.body());
      }
      URI page = URI.create(JSON.readTree(created.body()).get("webSocketDebuggerUrl").asText());
      Page.Listener listener = new Page.Listener();
      return new Page(http.newWebSocketBuilder().buildAsync(page, listener).get(10, TimeUnit.SECONDS),
          listener);
    }

    /** Ends the browser and every process it started, then deletes its profile. */
    @Override
    public void close() {
      List<ProcessHandle> children = process.descendants().toList();
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
  }

  /** One tab, spoken to over its DevTools WebSocket. */
  public static final class Page {
    private final WebSocket socket;
    private final Listener listener;
    private final AtomicInteger ids = new AtomicInteger();

    private Page(WebSocket socket, Listener listener) {
      this.socket = socket;
      this.listener = listener;
    }

    /**
     * The value of a JavaScript expression in the page (awaited if it is a promise), as JSON; a
     * thrown exception fails the test.
     */
    public JsonNode evaluate(String expression) throws Exception {
      int id = ids.incrementAndGet();
      ObjectNode call = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
      call.putObject("params").put("expression", expression).put("awaitPromise", true)
          .put("returnByValue", true);
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      listener.pending.put(id, answer);
      socket.sendText(JSON.writeValueAsString(call), true).get(10, TimeUnit.SECONDS);
      JsonNode reply = answer.get(30, TimeUnit.SECONDS);
      if (reply.has("error") || reply.path("result").has("exceptionDetails")) {
        throw new AssertionError("in the page, " + expression + " failed: " + reply);
      }
      return reply.path("result").path("result").path("value");
    }

    /**
     * Evaluates {@code condition} until it is true, up to {@code timeout}; while the page is still
     * loading, a condition that throws counts as false.
     */
    public void await(String condition, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      String guarded = "(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()";
      while (!evaluate(guarded).asBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not true within " + timeout + ": " + condition
              + "\nthe page: " + evaluate("document.documentElement.outerHTML").asText());
        }
        Thread.sleep(50);
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
            // not a protocol message we asked for
          }
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    }
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

  private static void drain(BufferedReader reader) {
    Thread drainer = new Thread(() -> {
      try {
        while (reader.readLine() != null) {
          // keep the pipe empty so the browser never blocks on its log
        }
      } catch (IOException ignored) {
        // the browser exited
      }
    }, "chromium-stderr");
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
}
