package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flooding client (8 parallel keep-alive streams of 512 KiB answers from 127.0.0.1) and a quiet
 * one (5 requests from 127.0.0.2) through a real Plainsight whose store has fallen behind (its
 * writer stuck, like a slow disk): the flood fills the queue's bytes and loses its bodies first;
 * every one of the quiet client's flows is stored whole.
 */
class FairCaptureTest {
  private static final int BODY = 512 * 1024;
  private static final int QUIET_BODY = 200_000;

  @TempDir Path dir;

  @Test
  void aQuietClientsFlowsAreStoredWholeWhileAnotherClientFloodsTheStore() throws Exception {
    try (OriginServer origin = OriginServer.http();
        RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      HttpClient flood = HttpClient.newBuilder()
          .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", plainsight.proxyPort())))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
      CountDownLatch release = stickWriter(plainsight, flood, origin);
      AtomicBoolean flooding = new AtomicBoolean(true);
      List<Thread> streams = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Thread stream = new Thread(() -> {
          while (flooding.get()) {
            try {
              flood.send(HttpRequest.newBuilder(URI.create(origin.url("/bytes?n=" + BODY)))
                  .build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
              return;
            }
          }
        });
        stream.start();
        streams.add(stream);
      }
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (plainsight.app().store().bodiesNotKeptCount() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertTrue(plainsight.app().store().bodiesNotKeptCount() > 0, "the flood fills the queue");
        for (int i = 0; i < 5; i++) {
          int length = quietRequest(plainsight.proxyPort(), origin.port(), i);
          assertTrue(length >= QUIET_BODY, "the quiet client's answer arrives: " + length);
        }
      } finally {
        flooding.set(false);
        for (Thread stream : streams) {
          stream.join(30_000);
        }
        release.countDown();
      }
      plainsight.app().store().flush();
      for (int i = 0; i < 5; i++) {
        String marker = "/bytes/quiet/" + i + "?";
        Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().contains(marker));
        assertTrue(flow.client().startsWith("127.0.0.2"), flow.client());
        assertEquals(QUIET_BODY, flow.response().body().captured().length,
            "quiet flow " + i + " is stored with its body");
        assertFalse(flow.response().body().truncated());
      }
      var stats = plainsight.api("/api/stats");
      assertTrue(stats.json().path("bodiesNotKept").asLong() > 0, stats.text());
    }
  }

  /** One request over its own connection from 127.0.0.2; returns the bytes after the head. */
  private static int quietRequest(int proxyPort, int originPort, int i) throws Exception {
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), proxyPort,
        InetAddress.getByName("127.0.0.2"), 0)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET http://127.0.0.1:" + originPort + "/bytes/quiet/" + i + "?n=" + QUIET_BODY
          + " HTTP/1.1\r\nHost: 127.0.0.1:" + originPort + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        got.write(buffer, 0, n);
        if (got.size() > QUIET_BODY && endsWithLastChunk(got.toByteArray())) {
          break;
        }
      }
      byte[] all = got.toByteArray();
      String head = new String(all, 0, Math.min(all.length, 2000), StandardCharsets.ISO_8859_1);
      int end = head.indexOf("\r\n\r\n");
      assertTrue(head.startsWith("HTTP/1.") && head.contains(" 200 "), head);
      return all.length - end - 4;
    }
  }

  private static boolean endsWithLastChunk(byte[] bytes) {
    return new String(bytes, Math.max(0, bytes.length - 7), Math.min(7, bytes.length),
        StandardCharsets.ISO_8859_1).equals("\r\n0\r\n\r\n");
  }

  /** Sends one request, then makes the store's writer hang in that commit, like a slow disk. */
  private static CountDownLatch stickWriter(RunningPlainsight plainsight, HttpClient client,
      OriginServer origin) throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    plainsight.app().store().addCommitListener(ids -> {
      stuck.countDown();
      try {
        release.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    client.send(HttpRequest.newBuilder(URI.create(origin.url("/hello"))).build(),
        HttpResponse.BodyHandlers.discarding());
    assertTrue(stuck.await(10, TimeUnit.SECONDS), "the writer is stuck");
    return release;
  }
}
