package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests to a host that never completes the TCP handshake (its SYNs are dropped) wait for the
 * connect timeout, and stall no one else: LittleProxy used to wait for that connection on the
 * client worker thread, holding up every client sharing it (a normal request took 21 s).
 */
class UnreachableHostTest {
  @TempDir Path dir;

  @Test
  void requestsToAHostThatNeverAnswersTheHandshakeStallNoOneElse() throws Exception {
    try (OriginServer http = OriginServer.http();
        ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      List<Socket> backlog = fillBacklog(blackhole);
      List<Process> waiting = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiting.add(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-x",
            plainsight.proxyUrl(), "http://127.0.0.1:" + blackhole.getLocalPort() + "/never-" + i)
            .start());
      }
      Thread.sleep(300);
      for (int i = 0; i < 4; i++) {
        long start = System.nanoTime();
        Curl.Result ok = Curl.run("-s", "-x", plainsight.proxyUrl(),
            http.url("/hello?meanwhile=" + i));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("hello from the origin\n", ok.stdout());
        assertTrue(ms < 3000, "a normal request took " + ms + " ms");
      }
      assertTrue(waiting.stream().allMatch(Process::isAlive),
          "the requests to the unreachable host were still waiting");
      waiting.forEach(Process::destroy);
      for (Socket socket : backlog) {
        socket.close();
      }
    }
  }

  /** Connects until the listen queue is full, so that the kernel drops further SYNs. */
  private static List<Socket> fillBacklog(ServerSocket server) {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      try {
        Socket socket = new Socket();
        socket.connect(server.getLocalSocketAddress(), 200);
        sockets.add(socket);
      } catch (IOException full) {
        return sockets;
      }
    }
    throw new IllegalStateException("the listen queue never filled");
  }
}
