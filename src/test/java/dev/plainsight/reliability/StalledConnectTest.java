package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client sends while its server connection is still being opened. The proxy's I/O loops
 * serve both sides of many exchanges, so a request body that arrives right behind its head must
 * wait without holding the loop: a server that never completes TCP stalls only its own client,
 * and a body sent in the same packet as its head reaches the server whole.
 */
class StalledConnectTest {
  @TempDir static Path dir;
  static OriginServer http;
  static RunningPlainsight plainsight;

  @BeforeAll
  static void start() {
    http = OriginServer.http();
    plainsight = RunningPlainsight.start(dir,
        Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data")).build());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    http.close();
  }

  @Test
  void aServerThatNeverCompletesTcpStallsOnlyItsOwnClient() throws Exception {
    try (BlackHole hole = BlackHole.open();
        RawProxyClient stuck = RawProxyClient.plain(plainsight.proxyPort())) {
      stuck.send("POST http://127.0.0.1:" + hole.port() + "/upload HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + hole.port() + "\r\nContent-Length: 5\r\n\r\nhello");
      Thread.sleep(300);
      for (int i = 0; i < 6; i++) {
        Curl.Result meanwhile = Curl.run("-s", "--max-time", "5", "-x", plainsight.proxyUrl(),
            http.url("/hello?meanwhile=" + i));
        assertEquals("hello from the origin\n", meanwhile.stdout(),
            "client " + i + " on a new connection, exit " + meanwhile.exitCode());
      }
    }
  }

  @Test
  void aBodyInTheSamePacketAsItsHeadReachesTheServerWhole() throws Exception {
    String body = "name=ada&password=" + "s3cret".repeat(200);
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send("POST " + http.url("/echo?same-packet") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
          + "\r\n\r\n" + body);
      String head = client.readHead();
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      StringBuilder echoed = new StringBuilder();
      client.readBody(head, (offset, data, length) ->
          echoed.append(new String(data, 0, length, StandardCharsets.ISO_8859_1)));
      assertEquals(body, echoed.toString());
    }
    Flow flow = plainsight.awaitFlow(f -> f.url() != null && f.url().endsWith("/echo?same-packet")
        && f.response() != null);
    assertEquals(body, new String(flow.request().body().captured(), StandardCharsets.UTF_8));
  }

  /**
   * A listener that never accepts, its queue filled: the kernel drops further connection
   * attempts, so a connect to it neither succeeds nor fails until it times out.
   */
  private record BlackHole(ServerSocket listener, List<Socket> fillers) implements AutoCloseable {
    static BlackHole open() throws IOException {
      ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      List<Socket> fillers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Socket filler = new Socket();
        try {
          filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
              listener.getLocalPort()), 200);
          fillers.add(filler);
        } catch (SocketTimeoutException full) {
          filler.close();
          return new BlackHole(listener, fillers);
        }
      }
      throw new IllegalStateException("the listen queue never filled: no black hole here");
    }

    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      for (Socket filler : fillers) {
        filler.close();
      }
      listener.close();
    }
  }
}
