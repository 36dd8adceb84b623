package dev.plainsight.store;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.CapturedResponse;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowPage;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.Timings;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Not a test: {@code java -Xmx256m -cp ... dev.plainsight.store.StoreBenchmark [dir] [flows]
 * [--queries-only | --capture-like]}: {@code --queries-only} times the queries again on a
 * directory already filled; {@code --capture-like} measures {@code add} with small flows instead.
 * Stores 200,000 flows with distinct 4 KiB JSON response bodies (200 hosts), printing the heap
 * after GC at 20k, 100k and 200k flows, then times the first page, a host filter and full-text
 * queries (cold, then the median of 5).
 */
public final class StoreBenchmark {
  private static final int BODY = 4096;

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("plainsight-bench");
    int total = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Random random = new Random(42);
    String[] words = new String[5000];
    for (int i = 0; i < words.length; i++) {
      char[] w = new char[4 + random.nextInt(7)];
      for (int j = 0; j < w.length; j++) {
        w[j] = (char) ('a' + random.nextInt(26));
      }
      words[i] = new String(w);
    }
    System.out.printf("data dir %s, %d flows, max heap %d MiB%n", dir, total,
        Runtime.getRuntime().maxMemory() >> 20);
    if (args.length > 2 && args[2].equals("--capture-like")) {
      captureLike(dir, total);
      return;
    }
    boolean queriesOnly = args.length > 2 && args[2].equals("--queries-only");
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      long start = System.nanoTime();
      long lastMark = start;
      for (int n = 1; n <= total && !queriesOnly; n++) {
        store.addWaiting(flow(n, random, words));
        if (n == 20_000 || n == 100_000 || n == 200_000 || n == total) {
          store.flush();
          long now = System.nanoTime();
          System.out.printf("%,d flows: heap after GC %.1f MiB, %.0f flows/s since last mark,"
                  + " dropped %d, db %.0f MB%n", n, heapAfterGc(),
              (n <= 20_000 ? n : n - (n <= 100_000 ? 20_000 : 100_000)) / ((now - lastMark) / 1e9),
              store.droppedCount(), store.dataBytes() / 1e6);
          lastMark = now;
        }
      }
      if (!queriesOnly) {
        System.out.printf("stored %,d flows in %.1f s%n", total,
            (System.nanoTime() - start) / 1e9);
      }
      time("first page (100 newest)", () -> store.query(FlowQuery.all()));
      time("host filter api7.example.com", () ->
          store.query(new FlowQuery(null, null, "api7.example.com", null, 100, 0)));
      time("full text, rare word (1 flow in 1000)", () ->
          store.query(new FlowQuery(null, null, null, "confirmation", 100, 0)));
      time("full text, common word '" + words[17] + "'", () ->
          store.query(new FlowQuery(null, null, null, words[17], 100, 0)));
      time("full text, URL words 'orders/77'", () ->
          store.query(new FlowQuery(null, null, null, "orders/77", 100, 0)));
      time("last page (offset 199,900)", () ->
          store.query(new FlowQuery(null, null, null, null, 100, total - 100)));
    }
  }

  /**
   * Like the proxy benchmark's /small: the same 1 KiB of random bytes each time, added with
   * {@code add} (never waits) from 4 threads as fast as they can; prints the cost of add, how
   * many were kept and dropped, and how fast the writer kept up.
   */
  private static void captureLike(Path dir, int total) throws Exception {
    byte[] small = new byte[1024];
    new Random(1).nextBytes(small);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      Flow template = Flows.binary("", "127.0.0.1", "/small", small);
      int threads = 4;
      long start = System.nanoTime();
      List<Thread> workers = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          for (int i = 0; i < total / threads; i++) {
            store.add(template);
          }
        });
        workers.add(worker);
        worker.start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
      double addSeconds = (System.nanoTime() - start) / 1e9;
      store.flush();
      double allSeconds = (System.nanoTime() - start) / 1e9;
      long kept = total - store.droppedCount();
      System.out.printf(Locale.ROOT, "%,d adds from %d threads in %.2f s (%.1f us per add);"
              + " kept %,d, dropped %,d; all kept flows committed after %.2f s (%.0f flows/s)%n",
          total, threads, addSeconds, addSeconds * 1e6 / total * threads, kept,
          store.droppedCount(), allSeconds, kept / allSeconds);
    }
  }

  private static Flow flow(int n, Random random, String[] words) {
    StringBuilder json = new StringBuilder(BODY + 64).append("{\"order\":").append(n)
        .append(",\"status\":\"").append(n % 1000 == 0 ? "confirmation sent" : "pending")
        .append("\",\"items\":[");
    while (json.length() < BODY - 40) {
      json.append("{\"name\":\"").append(words[random.nextInt(words.length)])
          .append("\",\"price\":").append(random.nextInt(100_000)).append("},");
    }
    json.setLength(json.length() - 1);
    json.append("]}");
    byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
    String host = "api" + (n % 200) + ".example.com";
    String url = "https://" + host + "/v1/orders/" + n + "?expand=items";
    return new FlowBuilder()
        .kind(FlowKind.HTTPS_DECRYPTED)
        .startedAt(Instant.now())
        .client("10.0.0." + (n % 40) + ":5" + (n % 10000))
        .method("GET")
        .url(url)
        .host(host)
        .port(443)
        .status(n % 50 == 0 ? 404 : 200)
        .responseBytes(body.length)
        .durationMs(5 + n % 30)
        .request(new CapturedRequest("GET", url, "HTTP/1.1", List.of(
            new Header("Host", host), new Header("User-Agent", "bench/1.0"),
            new Header("Accept", "application/json"),
            new Header("Authorization", "Bearer token-" + (n % 97))), Body.EMPTY))
        .response(new CapturedResponse(200, "OK", "HTTP/1.1", List.of(
            new Header("Content-Type", "application/json"),
            new Header("Content-Length", Integer.toString(body.length)),
            new Header("Cache-Control", "no-store")), new Body(body, body.length, false)))
        .timings(new Timings(null, null, null, null, 4L, 1L))
        .build();
  }

  private static double heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  private static void time(String what, Supplier<FlowPage> query) {
    long t0 = System.nanoTime();
    FlowPage page = query.get();
    double cold = (System.nanoTime() - t0) / 1e6;
    double[] runs = new double[5];
    for (int i = 0; i < runs.length; i++) {
      long t = System.nanoTime();
      query.get();
      runs[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(runs);
    System.out.printf(Locale.ROOT,
        "%-45s %7.1f ms cold, %7.1f ms median (%,d matches, %d on page)%n",
        what, cold, runs[2], page.total(), page.flows().size());
  }
}
