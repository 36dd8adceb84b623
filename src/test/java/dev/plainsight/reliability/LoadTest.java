package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load: 1,000 concurrent connections, then a 60-second mixed load of plain, tunnelled and
 * intercepted traffic at c=64. Nothing that succeeds directly fails through the proxy, every
 * exchange is recorded, and threads and file descriptors come back down.
 */
class LoadTest {
  static final Duration MIXED_LOAD = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void theProxyCarriesALoadRecordsEveryExchangeAndLeaksNothing() throws Exception {
    TestPki pki = TestPki.create("Load CA");
    try (OriginServer http = OriginServer.http();
        OriginServer https = OriginServer.https(pki.issue("127.0.0.1", "localhost").serverContext());
        RunningPlainsight plainsight = RunningPlainsight.start(dir,
            Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
            .passthrough(List.of("localhost"))
            .upstreamCaFiles(List.of(pki.writeCaPem(dir)))
            .idleTimeoutSeconds(3).build())) {
      warmUp(plainsight, http);
      int threadsBefore = threads();
      long fdsBefore = openFiles();

      thousandConcurrentConnections(plainsight, http);
      Counts counts = mixedLoad(plainsight, pki, http, https);

      plainsight.app().store().flush();
      long plain = count(plainsight, FlowKind.HTTP, "/hello?load=");
      long decrypted = count(plainsight, FlowKind.HTTPS_DECRYPTED, "/hello?load=");
      assertEquals(counts.plain.get(), plain, "every plain request is a flow");
      assertEquals(counts.intercepted.get(), decrypted, "every intercepted request is a flow");
      assertTrue(counts.tunnelled.get() > 0, "tunnelled requests went through");
      System.out.printf("mixed load: %d plain, %d intercepted, %d tunnelled requests; flows: %d"
          + " http, %d https-decrypted%n", counts.plain.get(), counts.intercepted.get(),
          counts.tunnelled.get(), plain, decrypted);

      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < settle && openFiles() > fdsBefore + 50) {
        System.gc();
        Thread.sleep(500);
      }
      assertTrue(threads() <= threadsBefore + 2 && threads() <= 8,
          "the proxy's thread pools are fixed: " + threadsBefore + " → " + threadNames());
      assertTrue(openFiles() <= fdsBefore + 50, "file descriptors: " + fdsBefore + " → "
          + openFiles());
    }
  }

  private static void warmUp(RunningPlainsight plainsight, OriginServer http) throws Exception {
    HttpClient client = plainsight.client(null);
    for (int i = 0; i < 20; i++) {
      client.send(HttpRequest.newBuilder(URI.create(http.url("/hello?warm=" + i))).build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  private static void thousandConcurrentConnections(RunningPlainsight plainsight,
      OriginServer http) {
    HttpClient client = plainsight.client(null);
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add(client.sendAsync(HttpRequest.newBuilder(URI.create(http.url("/hello?c1000=" + i)))
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    long ok = all.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
    assertEquals(1000, ok, "all 1,000 concurrent requests succeed");
  }

  private record Counts(AtomicLong plain, AtomicLong intercepted, AtomicLong tunnelled) {}

  private static Counts mixedLoad(RunningPlainsight plainsight, TestPki pki, OriginServer http,
      OriginServer https) throws Exception {
    Counts counts = new Counts(new AtomicLong(), new AtomicLong(), new AtomicLong());
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpClient plainClient = plainsight.client(null);
    HttpClient interceptedClient = plainsight.clientTrustingPlainsight();
    HttpClient tunnelClient = plainsight.client(pki.clientContextTrusting());
    long deadline = System.nanoTime() + MIXED_LOAD.toNanos();
    ExecutorService workers = Executors.newFixedThreadPool(64);
    AtomicLong sequence = new AtomicLong();
    for (int w = 0; w < 64; w++) {
      int kind = w % 3;
      workers.execute(() -> {
        while (System.nanoTime() < deadline) {
          long n = sequence.incrementAndGet();
          try {
            if (kind == 0) {
              get(plainClient, http.url("/hello?load=" + n));
              counts.plain.incrementAndGet();
            } else if (kind == 1) {
              get(interceptedClient, https.url("/hello?load=" + n));
              counts.intercepted.incrementAndGet();
            } else {
              get(tunnelClient, "https://localhost:" + https.port() + "/hello?tunnel=" + n);
              counts.tunnelled.incrementAndGet();
            }
          } catch (Exception e) {
            failures.add(new String[] {"plain", "intercepted", "tunnelled"}[kind] + " request "
                + n + ": " + e);
          }
        }
      });
    }
    workers.shutdown();
    assertTrue(workers.awaitTermination(MIXED_LOAD.toSeconds() + 60, TimeUnit.SECONDS));
    assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())),
        failures.size() + " requests failed");
    return counts;
  }

  private static void get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !response.body().equals("hello from the origin\n")) {
      throw new IOException("unexpected " + response.statusCode() + " for " + url);
    }
  }

  private static long count(RunningPlainsight plainsight, FlowKind kind, String marker) {
    long total = 0;
    for (int offset = 0; ; offset += 1000) {
      List<Flow> page = plainsight.app().store()
          .query(new FlowQuery(null, kind, null, null, 1000, offset)).flows();
      total += page.stream().filter(f -> f.url() != null && f.url().contains(marker)).count();
      if (page.size() < 1000) {
        return total;
      }
    }
  }

  /** The proxy's own threads (LittleProxy names its pools after the server, "plainsight"). */
  static int threads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("plainsight-")).count();
  }

  private static List<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(name -> name.startsWith("plainsight-")).sorted().toList();
  }

  static long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
