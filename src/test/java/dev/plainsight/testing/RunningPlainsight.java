package dev.plainsight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.Options;
import dev.plainsight.Plainsight;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowQuery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Plainsight on loopback (ports picked by the OS), with its CA in a temporary directory and
 * the test CA trusted upstream; plus the clients tests drive through it.
 */
public final class RunningPlainsight implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Plainsight plainsight;
  private final Path caDir;

  private RunningPlainsight(Plainsight plainsight, Path caDir) {
    this.plainsight = plainsight;
    this.caDir = caDir;
  }

  public static RunningPlainsight start(Path dir, TestPki upstreamCa, List<String> passthrough) {
    return start(dir, upstreamCa, passthrough, 1024 * 1024);
  }

  public static RunningPlainsight start(Path dir, TestPki upstreamCa, List<String> passthrough,
      int bodyLimit) {
    return start(dir, Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
        .passthrough(passthrough)
        .upstreamCaFiles(upstreamCa == null ? List.of() : List.of(upstreamCa.writeCaPem(dir)))
        .bodyCaptureLimit(bodyLimit).build());
  }

  /** Starts Plainsight with a configuration of the test's own. */
  public static RunningPlainsight start(Path dir, Options config) {
    Path caDir = config.caDir();
    try {
      Plainsight plainsight = Plainsight.start(config);
      return new RunningPlainsight(plainsight, caDir);
    } catch (Exception e) {
      throw new IllegalStateException("Plainsight did not start: " + e.getMessage(), e);
    }
  }

  public Plainsight app() {
    return plainsight;
  }

  public int proxyPort() {
    return plainsight.proxyAddress().getPort();
  }

  public String proxyUrl() {
    return "http://127.0.0.1:" + proxyPort();
  }

  public Path caPem() {
    return caDir.resolve("ca.pem");
  }

  /** A JDK client that uses the proxy and trusts the given roots (none: the JDK's defaults). */
  public HttpClient client(SSLContext tls) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort())))
        .connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  /** A JDK client that uses the proxy and trusts Plainsight's CA. */
  public HttpClient clientTrustingPlainsight() {
    return client(trusting(plainsight.ca().certificate()));
  }

  /** A TLS client context that trusts only the given root. */
  public static SSLContext trusting(X509Certificate root) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("root", root);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits (up to 10 s) until one of the 300 newest flows matches, and returns the newest such
   * flow, whole (query pages carry no body bytes, so each candidate is read in full).
   */
  public Flow awaitFlow(Predicate<Flow> match) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (Flow summary : plainsight.store().query(new FlowQuery(null, null, null, null, 300, 0))
          .flows()) {
        Flow whole = plainsight.store().find(summary.id()).orElse(summary);
        if (match.test(whole)) {
          return whole;
        }
      }
      sleep(20);
    }
    throw new AssertionError("no matching flow within 10 s; flows: "
        + plainsight.store().query(FlowQuery.all()).flows().stream()
            .map(f -> f.kind().wire() + " " + f.method() + " " + f.url() + " " + f.error()).toList());
  }

  /** GET on the dashboard API with the token; returns status and parsed JSON (or null). */
  public ApiResponse api(String path) {
    return api("GET", path, null);
  }

  /** A request to the dashboard API with the token and an optional JSON body. */
  public ApiResponse api(String method, String path, String jsonBody) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plainsight.dashboardPort() + path))
              .header("Authorization", "Bearer " + plainsight.token())
              .header("Content-Type", "application/json")
              .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofString(jsonBody))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().startsWith("{") || response.body().startsWith("[")
          ? JSON.readTree(response.body()) : null;
      return new ApiResponse(response.statusCode(), json, response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The status, JSON and text of a dashboard API response. */
  public record ApiResponse(int status, JsonNode json, String text) {}

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    plainsight.close();
  }
}
