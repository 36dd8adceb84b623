package dev.plainsight.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.Tshark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pcapng files open in tshark as the streams they describe: each leg starts with SYN, SYN-ACK,
 * ACK and ends as it ended, payloads reassemble (an HTTP form shows its password), there are no
 * TCP analysis warnings, IPv6 legs work, and real TLS bytes recorded by a relay decrypt with the
 * key log in the file and stay sealed without it.
 */
class PacketCaptureTest {
  @TempDir Path dir;

  private static final InetSocketAddress CLIENT = new InetSocketAddress(
      InetAddress.getLoopbackAddress(), 51_000);
  private static final InetSocketAddress PROXY = new InetSocketAddress(
      InetAddress.getLoopbackAddress(), 8080);

  @Test
  void aPlainFormPostShowsItsPasswordAndAWellFormedStream() throws Exception {
    Instant t = Instant.parse("2026-12-02T10:00:00Z");
    byte[] form = "user=alice&password=s3cret-value".getBytes(StandardCharsets.US_ASCII);
    byte[] head = ("POST http://127.0.0.1:9000/login HTTP/1.1\r\nHost: 127.0.0.1:9000\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] big = new byte[200_000];
    new Random(7).nextBytes(big);
    byte[] response = concat(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), big);
    TcpLeg leg = new TcpLeg(CLIENT, PROXY, t, t.plusMillis(1), List.of(
        new TcpLeg.Segment(true, t.plusMillis(2), head),
        new TcpLeg.Segment(true, t.plusMillis(2), form),
        new TcpLeg.Segment(false, t.plusMillis(5), response)),
        TcpLeg.Ending.FIN_BY_CLIENT, t.plusMillis(9), false);
    Path file = write(new PacketCapture(List.of(leg), null, "one plain flow"));

    assertEquals("s3cret-value", Tshark.read(file, "-Y", "urlencoded-form.key == \"password\"",
        "-T", "fields", "-e", "urlencoded-form.value").trim().split(",")[1]);
    List<String> flags = Tshark.read(file, "-T", "fields", "-e", "tcp.flags").lines().toList();
    assertEquals(List.of("0x0002", "0x0012", "0x0010"), flags.subList(0, 3), "the handshake");
    assertEquals(List.of("0x0011", "0x0011", "0x0010"), flags.subList(flags.size() - 3,
        flags.size()), "FIN, FIN, ACK at the end");
    assertEquals(List.of(), Tshark.tcpProblems(file));
    assertTrue(Tshark.read(file, "-Y", "http.response.code == 200").contains("200"));
    assertTrue(Tshark.read(file, "-q", "-z", "io,stat,0").contains("Interval"));
  }

  @Test
  void aResetEndsTheStreamWithRstAndACutLegStopsWithoutAGap() throws Exception {
    Instant t = Instant.parse("2026-12-02T10:00:00Z");
    TcpLeg reset = new TcpLeg(CLIENT, PROXY, t, t, List.of(
        new TcpLeg.Segment(true, t, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))),
        TcpLeg.Ending.RST_BY_SERVER, t.plusMillis(3), false);
    InetSocketAddress other = new InetSocketAddress(InetAddress.getLoopbackAddress(), 51_001);
    TcpLeg cut = new TcpLeg(other, PROXY, t, t, List.of(
        new TcpLeg.Segment(false, t.plusMillis(1), new byte[100_000])),
        TcpLeg.Ending.FIN_BY_SERVER, t.plusMillis(3), true);
    Path file = write(new PacketCapture(List.of(reset, cut), null, null));

    String resets = Tshark.read(file, "-Y", "tcp.flags.reset == 1", "-T", "fields", "-e",
        "tcp.srcport");
    assertEquals("8080", resets.trim(), "the server reset the first leg");
    assertEquals("", Tshark.read(file, "-Y", "tcp.port == 51001 && tcp.flags.fin == 1"),
        "a cut leg has no ending after the gap");
    assertEquals(List.of(), Tshark.tcpProblems(file));
  }

  @Test
  void anIpv6LegIsReadAsIpv6() throws Exception {
    Instant t = Instant.parse("2026-12-02T10:00:00Z");
    InetAddress v6 = InetAddress.getByName("::1");
    TcpLeg leg = new TcpLeg(new InetSocketAddress(v6, 52_000), new InetSocketAddress(v6, 8080), t,
        t, List.of(new TcpLeg.Segment(true, t, ("GET http://[::1]:9/ HTTP/1.1\r\nHost: [::1]:9"
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII))),
        TcpLeg.Ending.FIN_BY_CLIENT, t, false);
    Path file = write(new PacketCapture(List.of(leg), null, null));
    assertEquals("GET", Tshark.read(file, "-Y", "ipv6 && http.request", "-T", "fields", "-e",
        "http.request.method").trim());
    assertEquals(List.of(), Tshark.tcpProblems(file));
  }

  @Test
  void realTlsBytesDecryptWithTheSecretsInTheFileAndStaySealedWithout() throws Exception {
    TestPki pki = TestPki.create("pcap test CA");
    TestPki.ServerIdentity identity = pki.issue("127.0.0.1");
    Path key = Files.writeString(dir.resolve("key.pem"), identity.keyPem());
    Path cert = Files.writeString(dir.resolve("cert.pem"), identity.certificatePem());
    Path keyLog = dir.resolve("keys.log");
    int serverPort = freePort();
    Process server = new ProcessBuilder("openssl", "s_server", "-quiet", "-www", "-accept",
        "127.0.0.1:" + serverPort, "-key", key.toString(), "-cert", cert.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      awaitPort(serverPort);
      Process client = new ProcessBuilder("openssl", "s_client", "-quiet", "-connect",
          "127.0.0.1:" + relay.getLocalPort(), "-keylogfile", keyLog.toString(), "-ign_eof")
          .redirectErrorStream(true).start();
      Recording recording;
      try (Socket accepted = relay.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
        Instant opened = Instant.now();
        InetSocketAddress clientSide = (InetSocketAddress) accepted.getRemoteSocketAddress();
        InetSocketAddress relaySide = (InetSocketAddress) accepted.getLocalSocketAddress();
        client.getOutputStream().write("GET /secret-path HTTP/1.0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().close();
        recording = new Recording();
        Thread up = recording.copy(accepted, upstream, true);
        Thread down = recording.copy(upstream, accepted, false);
        up.join(20_000);
        down.join(20_000);
        client.waitFor(20, TimeUnit.SECONDS);
        TcpLeg leg = new TcpLeg(clientSide, relaySide, opened, opened,
            recording.segments(), TcpLeg.Ending.FIN_BY_SERVER, Instant.now(), false);
        Path open = write(new PacketCapture(List.of(leg), Files.readString(keyLog), "decrypted"));
        Path sealed = write(new PacketCapture(List.of(leg), null, "sealed"));

        assertTrue(Files.readString(keyLog).contains("CLIENT_TRAFFIC_SECRET_0"),
            () -> "TLS 1.3 keys; s_client said: " + output(client) + " keylog: " + keyLogText(keyLog)
                + " segments " + recording.segments().size());
        assertEquals("GET /secret-path", Tshark.read(open, "-Y", "http.request", "-T", "fields",
            "-e", "http.request.method", "-e", "http.request.uri").trim().replace('\t', ' '));
        // s_server's answer ends with the connection (HTTP/1.0, no length): read it unassembled
        assertTrue(Tshark.read(open, "-o", "http.desegment_body:FALSE", "-Y",
            "http.response.code == 200").contains("200 ok"));
        assertEquals("", Tshark.read(sealed, "-Y", "http"), "nothing readable without keys");
        assertFalse(Tshark.read(sealed, "-Y", "tls.record").isBlank(), "but TLS records show");
        assertEquals(List.of(), Tshark.tcpProblems(open));
      }
    } finally {
      server.destroyForcibly();
    }
  }

  private Path write(PacketCapture capture) throws IOException {
    Path file = Files.createTempFile(dir, "capture", ".pcapng");
    try (OutputStream out = Files.newOutputStream(file)) {
      capture.write(out);
    }
    return file;
  }

  private static String output(Process process) {
    try {
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String keyLogText(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(none)";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("openssl s_server did not listen on " + port);
  }

  /** The bytes a relay copied each way, with their times, in the order they were read. */
  private static final class Recording {
    private final List<TcpLeg.Segment> segments = Collections.synchronizedList(new ArrayList<>());

    Thread copy(Socket from, Socket to, boolean fromClient) {
      Thread thread = new Thread(() -> {
        byte[] buffer = new byte[16_384];
        try (InputStream in = from.getInputStream()) {
          OutputStream out = to.getOutputStream();
          for (int n; (n = in.read(buffer)) > 0; ) {
            synchronized (segments) {
              segments.add(new TcpLeg.Segment(fromClient, Instant.now(),
                  java.util.Arrays.copyOf(buffer, n)));
              out.write(buffer, 0, n);
            }
          }
          to.shutdownOutput();
        } catch (IOException closed) {
          // the other side went away: the recording ends here
        }
      });
      thread.start();
      return thread;
    }

    List<TcpLeg.Segment> segments() {
      synchronized (segments) {
        return List.copyOf(segments);
      }
    }
  }
}
