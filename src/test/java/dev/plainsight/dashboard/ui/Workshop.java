package dev.plainsight.dashboard.ui;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * A real Plainsight with the traffic of a small workshop already captured: the same login over
 * plain HTTP and over intercepted HTTPS, JSON, gzip, an image, binary and a large body, a client
 * that refuses the forged certificate, a tunnelled host ({@code localhost} is passed through) and
 * a failed lookup. Started once per test JVM ({@link #shared()}) and stopped when it exits; the
 * ids of those flows are fields.
 */
final class Workshop {
  static final String LOGIN_FORM = "user=alice&password=hunter2";
  static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("alice:open-sesame".getBytes());

  private static Workshop shared;

  final Path dir;
  final TestPki pki;
  final TeachingOrigin http;
  final TeachingOrigin https;
  final RunningPlainsight plainsight;
  final long httpLogin;
  final long httpsLogin;
  final long profile;
  final long gzip;
  final long pixel;
  final long binary;
  final long big;
  final long rejected;
  final long tunnel;
  final long failed;

  static synchronized Workshop shared() {
    if (shared == null) {
      shared = new Workshop();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "workshop-stop"));
    }
    return shared;
  }

  private Workshop() {
    try {
      dir = Files.createTempDirectory("plainsight-ui-workshop");
      pki = TestPki.create("Workshop Origin CA");
      http = TeachingOrigin.http();
      https = TeachingOrigin.https(pki.issue("127.0.0.1", "localhost").serverContext());
      plainsight = RunningPlainsight.start(dir, pki, List.of("localhost"), 1024 * 1024);
      HttpClient client = plainsight.clientTrustingPlainsight();

      httpLogin = send(client, login(http.url("/login?next=/home&api_key=k-42")));
      httpsLogin = send(client, login(https.url("/login?next=/home")));
      profile = send(client, get(https.url("/profile.json")));
      gzip = send(client, get(http.url("/gzip.json")));
      pixel = send(client, get(http.url("/pixel.png")));
      binary = send(client, get(http.url("/binary")));
      big = send(client, get(http.url("/big.txt")));

      Curl.Result refused = Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(),
          https.url("/hello?refused"));
      if (refused.exitCode() != 60) {
        throw new AssertionError("curl should refuse the forged certificate (exit 60): " + refused);
      }
      rejected = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_REJECTED
          && f.port() == https.port()).id();

      Curl.Result tunnelled = Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(),
          "--cacert", pki.writeCaPem(dir).toString(), https.url("localhost", "/hello?tunnelled"));
      if (tunnelled.exitCode() != 0) {
        throw new AssertionError("curl through the tunnel: " + tunnelled);
      }
      tunnel = plainsight.awaitFlow(f -> f.kind() == FlowKind.HTTPS_TUNNEL
          && "localhost".equals(f.host())).id();

      Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(), "http://no-such-host.invalid/");
      failed = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR).id();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpRequest login(String url) {
    return HttpRequest.newBuilder(URI.create(url)).version(HttpClient.Version.HTTP_1_1)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", BASIC)
        .header("Cookie", "theme=dark; tracking=t-777")
        .POST(HttpRequest.BodyPublishers.ofString(LOGIN_FORM)).build();
  }

  static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).version(HttpClient.Version.HTTP_1_1).GET().build();
  }

  /** Sends through the proxy and returns the id of the flow it made. */
  long send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new AssertionError(request.uri() + " -> " + response.statusCode());
    }
    String url = request.uri().toString();
    return plainsight.awaitFlow(f -> url.equals(f.url()) && f.status() != null).id();
  }

  Flow flow(long id) {
    return plainsight.app().store().find(id).orElseThrow();
  }

  /** The dashboard's address with the token (what Plainsight prints). */
  String dashboardUrl() {
    return plainsight.app().dashboardUrl();
  }

  /** The dashboard's origin, without the token. */
  String base() {
    return "http://127.0.0.1:" + plainsight.app().dashboardPort();
  }

  /** The dashboard at a hash route, e.g. {@code #/flow/3/lesson}. */
  String at(String hash) {
    return dashboardUrl() + hash;
  }

  private void stop() {
    plainsight.close();
    http.close();
    https.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // temp files left behind are harmless
    }
  }
}
