package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.Header;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.StderrCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated requests, plausible and hostile, sent over real sockets through one running proxy to
 * an echo origin. Every request is answered (or closed) and the proxy serves a normal request
 * right after; a well-formed one comes back byte-identical and is recorded with its method, URL,
 * headers and body size; and Plainsight logs no ERROR line and no stack trace of its own.
 */
class HttpCaptureFuzzTest {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static Path dir;
  private static OriginServer origin;
  private static RunningPlainsight plainsight;
  private static StderrCapture log;

  @BeforeContainer
  static void start() throws IOException {
    log = StderrCapture.start();
    dir = Files.createTempDirectory("plainsight-fuzz");
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir, null, List.of());
  }

  @AfterContainer
  static void stopAndCheckTheLog() throws IOException {
    plainsight.close();
    origin.close();
    log.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    List<String> bad = log.text().lines().filter(line -> line.contains(" ERROR ")
        || line.contains("at dev.plainsight.")).limit(10).toList();
    assertEquals(List.of(), bad, "Plainsight logged errors or stack traces");
  }

  @Provide
  Arbitrary<FuzzRequest> requests() {
    return FuzzRequest.plausibleOrHostile();
  }

  @Property(tries = 300)
  void everyRequestIsAnsweredAndEveryWellFormedOneForwardedAndRecordedFaithfully(
      @ForAll("requests") FuzzRequest request) throws Exception {
    String marker = "fz" + SEQUENCE.incrementAndGet() + "q";
    String target = "http://127.0.0.1:" + origin.port();
    Answer answer = send(request.bytes(target, marker), !request.wellFormed());
    if (!request.wellFormed()) {
      assertTrue(answer.status() == 0 || answer.status() >= 400 || answer.status() == 200,
          "status " + answer.status());
      Answer normal = send(("GET " + target + "/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), false);
      assertEquals(200, normal.status(), "the proxy still serves after a hostile request");
      return;
    }
    assertEquals(200, answer.status(), answer.head());
    assertArrayEquals(request.body(), answer.body(), "the body came back byte-identical");
    assertTrue(answer.head().toLowerCase(java.util.Locale.ROOT).contains("\r\nx-request-method: "
        + request.method().toLowerCase(java.util.Locale.ROOT) + "\r\n"), answer.head());

    Flow flow = awaitFlow(marker);
    assertEquals(FlowKind.HTTP, flow.kind(), String.valueOf(flow.error()));
    assertEquals(request.method(), flow.method());
    assertEquals(target + "/echo/" + marker + request.path(), flow.url());
    assertEquals(request.body().length, flow.requestBytes());
    assertEquals(request.body().length, flow.responseBytes());
    List<Header> recorded = flow.request().headers();
    for (FuzzRequest.Header sent : request.headers()) {
      assertTrue(recorded.stream().anyMatch(h -> h.name().equalsIgnoreCase(sent.name())
          && h.value().equals(sent.value())), "header " + sent + " recorded as sent");
    }
  }

  private record Answer(int status, String head, byte[] body) {}

  /**
   * Writes the request (then, for a hostile one, closes the sending side: a body shorter than
   * declared ends there), and reads the answer to the end; status 0: closed without one.
   */
  private static Answer send(byte[] request, boolean thenClose) throws IOException {
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.socket().setSoTimeout(10_000);
      try {
        client.socket().getOutputStream().write(request);
        if (thenClose) {
          client.socket().shutdownOutput();
        }
      } catch (SocketException closedEarly) {
        // the proxy refused before reading everything
      }
      String head;
      try {
        head = client.readHead();
      } catch (IOException closed) {
        if (closed instanceof java.net.SocketTimeoutException) {
          throw closed;
        }
        return new Answer(0, "", new byte[0]);
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      try {
        client.readBody(head, (offset, data, n) -> body.write(data, 0, n));
      } catch (SocketException reset) {
        // a refusal may be reset after its head
      } catch (IOException cutShort) {
        if (!thenClose) {
          throw cutShort;
        }
        // a client that closed its sending side has hung up for LittleProxy: the answer may stop
      }
      return new Answer(Integer.parseInt(head.substring(9, 12)), head, body.toByteArray());
    }
  }

  private static Flow awaitFlow(String marker) throws InterruptedException {
    for (int i = 0; i < 250; i++) {
      Optional<Flow> found = plainsight.app().store()
          .query(new FlowQuery(null, null, null, null, 20, 0)).flows().stream()
          .filter(f -> f.url() != null && f.url().contains("/echo/" + marker)).findFirst();
      if (found.isPresent()) {
        return plainsight.app().store().find(found.get().id()).orElseThrow();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no flow for " + marker);
  }

}
