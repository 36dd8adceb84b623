package dev.plainsight.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Options;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.MisbehavingServer;
import dev.plainsight.testing.MisbehavingServer.Fault;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An origin that sends a response nobody asked for cannot have it delivered as the answer to the
 * client's next request (cross-origin response injection): it is dropped, the server connection
 * closed, and an error flow says so.
 */
class UnsolicitedResponseTest {
  @TempDir static Path dir;
  static TestPki pki;
  static RunningPlainsight plainsight;
  static OriginServer origin;

  @BeforeAll
  static void start() {
    pki = TestPki.create("Unsolicited CA");
    origin = OriginServer.http();
    plainsight = RunningPlainsight.start(dir,
        Options.builder(0, 0, dir.resolve("ca"), dir.resolve("data"))
        .upstreamCaFiles(List.of(pki.writeCaPem(dir))).build());
  }

  @AfterAll
  static void stop() {
    plainsight.close();
    origin.close();
  }

  @Test
  void aLaterUnaskedResponseIsNotDeliveredAsTheAnswerToARequestForAnotherHost() throws Exception {
    injectThenAskAnotherHost(Fault.INJECTS_A_LATER_RESPONSE);
  }

  @Test
  void anUnaskedResponseInTheSameSegmentIsNotDeliveredEither() throws Exception {
    injectThenAskAnotherHost(Fault.INJECTS_IN_THE_SAME_SEGMENT);
  }

  private static void injectThenAskAnotherHost(Fault fault) throws Exception {
    try (MisbehavingServer evil = new MisbehavingServer(fault);
        RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send("GET " + evil.url("/first") + " HTTP/1.1\r\nHost: 127.0.0.1:" + evil.port()
          + "\r\n\r\n");
      assertEquals("ok", body(client, client.readHead()));
      Thread.sleep(300);
      client.send("GET " + origin.url("/hello") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
          + "\r\n\r\n");
      String head = client.readHead();
      assertEquals("hello from the origin\n", body(client, head), head);
      Flow noted = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.error() != null
          && f.error().contains("127.0.0.1:" + evil.port()));
      assertEquals("the server 127.0.0.1:" + evil.port() + " sent a response with no request"
          + " outstanding; dropped, server connection closed", noted.error());
    }
  }

  @Test
  void anUnaskedResponseInsideAnInterceptedConnectIsNotDelivered() throws Exception {
    try (MisbehavingServer evil = new MisbehavingServer(Fault.INJECTS_A_LATER_RESPONSE,
        pki.issue("127.0.0.1").serverContext());
        RawProxyClient client = RawProxyClient.intercepted(plainsight.proxyPort(), evil.port(),
            RunningPlainsight.trusting(plainsight.app().ca().certificate()))) {
      client.send("GET /first HTTP/1.1\r\nHost: 127.0.0.1:" + evil.port() + "\r\n\r\n");
      assertEquals("ok", body(client, client.readHead()));
      client.socket().setSoTimeout(2_000);
      String rest = readUntilCloseOrQuiet(client.in());
      assertFalse(rest.contains(MisbehavingServer.INJECTED), rest);
      Flow noted = plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.error() != null
          && f.error().contains("127.0.0.1:" + evil.port()));
      assertTrue(noted.error().contains("no request outstanding"), noted.error());
    }
  }

  @Test
  void pipelinedRequestsAndAHeadAreAllAnsweredWithNothingDropped() throws Exception {
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      String get = "GET " + origin.url("/hello") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
          + "\r\n\r\n";
      String head = "HEAD " + origin.url("/hello") + " HTTP/1.1\r\nHost: 127.0.0.1:"
          + origin.port() + "\r\n\r\n";
      client.send(get + get);
      assertEquals("hello from the origin\n", body(client, client.readHead()));
      assertEquals("hello from the origin\n", body(client, client.readHead()));
      client.send(head);
      assertTrue(client.readHead().startsWith("HTTP/1.1 200"));
      client.send(get);
      assertEquals("hello from the origin\n", body(client, client.readHead()));
    }
  }

  private static String body(RawProxyClient client, String head) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client.readBody(head, (offset, data, length) -> out.write(data, 0, length));
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static String readUntilCloseOrQuiet(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException quiet) {
      // nothing more came
    } catch (IOException closed) {
      // the proxy closed the connection
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
