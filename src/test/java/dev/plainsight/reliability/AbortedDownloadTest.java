package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty clients start large downloads at once, plain and intercepted. Thirty of them vanish after
 * the first MiB (half close politely, half reset); the other twenty read to the end. Those twenty
 * get every byte, each vanished client leaves an error flow "client closed …", the proxy keeps
 * serving, and the upstream connections of the vanished clients are closed (no thread or file
 * descriptor stays behind).
 */
class AbortedDownloadTest {
  static final int CLIENTS = 50;
  static final long BIG = 32L << 20;
  static final long WHOLE = 8L << 20;
  static final long ABORT_AFTER = 1L << 20;

  @TempDir Path dir;

  @Test
  void clientsVanishingMidDownloadAreRecordedAndStallNoOne() throws Exception {
    TestPki pki = TestPki.create("Abort CA");
    try (OriginServer http = OriginServer.http();
        OriginServer https = OriginServer.https(pki.issue("127.0.0.1").serverContext());
        RunningPlainsight plainsight = RunningPlainsight.start(dir,
            Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
            .upstreamCaFiles(List.of(pki.writeCaPem(dir)))
            .idleTimeoutSeconds(30).build())) {
      SSLContext trustPlainsight = RunningPlainsight.trusting(plainsight.app().ca().certificate());
      downloadWhole(RawProxyClient.plain(plainsight.proxyPort()), http.url("/bytes/warm?n=1000"),
          1000);
      downloadWhole(RawProxyClient.intercepted(plainsight.proxyPort(), https.port(),
          trustPlainsight), "/bytes/warm?n=1000", 1000);
      int threadsBefore = LoadTest.threads();
      long fdsBefore = LoadTest.openFiles();

      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      List<String> aborted = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> done = new ArrayList<>();
      long began = System.nanoTime();
      for (int i = 0; i < CLIENTS; i++) {
        int n = i;
        boolean tls = n % 2 == 1;
        boolean aborts = n % 5 < 3;
        done.add(clients.submit(() -> {
          start.await();
          try {
            if (aborts) {
              String path = "/bytes/abort-" + n + "?n=" + BIG;
              abortAfterFirstMiB(tls ? RawProxyClient.intercepted(plainsight.proxyPort(),
                  https.port(), trustPlainsight) : RawProxyClient.plain(plainsight.proxyPort()),
                  tls ? path : http.url(path), n % 4 < 2);
              aborted.add((tls ? https : http).url(path));
            } else {
              String path = "/bytes/whole-" + n + "?n=" + WHOLE;
              downloadWhole(tls ? RawProxyClient.intercepted(plainsight.proxyPort(),
                  https.port(), trustPlainsight) : RawProxyClient.plain(plainsight.proxyPort()),
                  tls ? path : http.url(path), WHOLE);
            }
          } catch (Exception e) {
            failures.add("client " + n + " after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms: " + e);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
      clients.shutdown();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertEquals(List.of(), failures, "clients that read to the end get every byte");
      assertEquals(30, aborted.size());

      List<Flow> abortFlows = awaitFlows(plainsight, aborted.size(), "/bytes/abort-");
      for (Flow flow : abortFlows) {
        assertEquals(FlowKind.ERROR, flow.kind(), flow.url());
        assertTrue(flow.error().startsWith("client closed the connection"), flow.error());
        assertEquals(200, flow.status());
      }
      assertEquals(aborted.stream().sorted().toList(),
          abortFlows.stream().map(Flow::url).sorted().toList(), "one flow per vanished client");
      assertEquals(20, awaitFlows(plainsight, 20, "/bytes/whole-").stream()
          .filter(f -> f.kind() != FlowKind.ERROR && f.status() == 200).count());

      downloadWhole(RawProxyClient.plain(plainsight.proxyPort()),
          http.url("/bytes/after?n=100000"), 100_000);
      downloadWhole(RawProxyClient.intercepted(plainsight.proxyPort(), https.port(),
          trustPlainsight), "/bytes/after?n=100000", 100_000);

      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < settle && (LoadTest.openFiles() > fdsBefore + 4 || !openToOrigins(http, https).isEmpty())) {
        Thread.sleep(200);
      }
      System.out.printf("aborted downloads: %d clients (%d vanished) in %d ms; fds %d -> %d,"
          + " proxy threads %d -> %d%n", CLIENTS, aborted.size(), tookMs, fdsBefore,
          LoadTest.openFiles(), threadsBefore, LoadTest.threads());
      assertEquals(List.of(), openToOrigins(http, https), "no connection to the origins stays open");
      assertTrue(LoadTest.openFiles() <= fdsBefore + 4,
          "file descriptors: " + fdsBefore + " → " + LoadTest.openFiles());
      assertTrue(LoadTest.threads() <= threadsBefore + 2 && LoadTest.threads() <= 8,
          "threads: " + threadsBefore + " → " + LoadTest.threads());
    }
  }

  /** Sends a GET, reads the head and the first MiB, then closes (FIN) or resets (RST). */
  private static void abortAfterFirstMiB(RawProxyClient client, String target, boolean reset)
      throws IOException {
    try (client) {
      client.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String head = client.readHead();
      if (!head.startsWith("HTTP/1.1 200")) {
        throw new IOException("unexpected head: " + head);
      }
      InputStream in = client.in();
      byte[] buffer = new byte[16 * 1024];
      long read = 0;
      while (read < ABORT_AFTER) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new IOException("closed by the proxy after " + read + " bytes");
        }
        read += n;
      }
      if (reset) {
        client.reset();
      }
    }
  }

  /** Sends a GET with "Connection: close" and checks every byte of the body. */
  private static void downloadWhole(RawProxyClient client, String target, long size)
      throws IOException {
    try (client) {
      client.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      String head = client.readHead();
      if (!head.startsWith("HTTP/1.1 200")) {
        throw new IOException("unexpected head: " + head);
      }
      long length = client.readBody(head, (offset, data, n) -> {
        for (int k = 0; k < n; k++) {
          if (data[k] != OriginServer.patternByte(offset + k)) {
            throw new IOException("byte " + (offset + k) + " differs");
          }
        }
      });
      if (length != size) {
        throw new IOException(length + " bytes instead of " + size);
      }
    }
  }

  private static List<Flow> awaitFlows(RunningPlainsight plainsight, int count, String marker)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<Flow> matching = List.of();
    while (System.nanoTime() < deadline) {
      matching = plainsight.app().store().query(new FlowQuery(null, null, null, null, 1000, 0))
          .flows().stream().filter(f -> f.url() != null && f.url().contains(marker)).toList();
      if (matching.size() >= count) {
        return matching;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(matching.size() + " of " + count + " flows for " + marker + ": "
        + matching.stream().map(f -> f.url() + " " + f.kind() + " " + f.error()).toList());
  }

  /** Established TCP connections (from /proc/net/tcp) to either origin's port. */
  private static List<String> openToOrigins(OriginServer http, OriginServer https)
      throws IOException {
    String ports = String.format("(?i).*:(%04X|%04X)$", http.port(), https.port());
    return Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1)
        .map(line -> line.trim().split("\\s+"))
        .filter(f -> f[3].equals("01") && f[2].matches(ports))
        .map(f -> f[1] + " -> " + f[2]).toList();
  }
}
