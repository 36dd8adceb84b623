package dev.plainsight.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RawProxyClient;
import dev.plainsight.testing.RunningPlainsight;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard and the proxy itself are unreachable through the proxy under any spelling of
 * this machine's address (issue 14.1: decided on the resolved address, not on the host's text),
 * and a CONNECT takes exactly {@code host:port} (14.3: what Plainsight checks and records is the
 * target LittleProxy connects to). Raw request lines, so no client normalises the spellings.
 * Each of these spellings reached the dashboard on main before the fix (the first with 200 and
 * the dashboard's page).
 */
class ProxyTargetsTest {
  @TempDir static Path dir;
  static RunningPlainsight plainsight;
  static OriginServer origin;
  static int dashboard;

  @BeforeAll
  static void start() {
    plainsight = RunningPlainsight.start(dir, null, List.of("*.bank.example"));
    dashboard = plainsight.app().dashboardPort();
    origin = OriginServer.http();
  }

  @AfterAll
  static void stop() {
    origin.close();
    plainsight.close();
  }

  static Stream<String> spellingsOfThisMachine() {
    List<String> hosts = new ArrayList<>(List.of("[::ffff:127.0.0.1]", "2130706433", "0",
        "0x7f000001", "0x7f.1", "017700000001", "0177.0.0.1", "127.1", "127.0.0.1.",
        "127.42.0.9", "[::1]", "[0:0:0:0:0:0:0:1]", "[::]", "0.0.0.0", "[::ffff:7f00:1]",
        "[::127.0.0.1]", "localhost", "LocalHost", "[::FFFF:127.0.0.1]"));
    hosts.addAll(ownInterfaceAddresses());
    return hosts.stream();
  }

  @ParameterizedTest
  @MethodSource("spellingsOfThisMachine")
  void theDashboardIsRefusedUnderEverySpellingOfThisMachine(String host) throws IOException {
    String answer = exchange("GET http://" + host + ":" + dashboard + "/ca?token="
        + plainsight.app().token() + " HTTP/1.1\r\nHost: 127.0.0.1:" + dashboard + "\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 403"), host + ": " + answer);
    assertTrue(answer.contains("never reachable through the proxy"), answer);
    assertFalse(answer.contains("Plainsight CA"), answer);
  }

  @ParameterizedTest
  @MethodSource("spellingsOfThisMachine")
  void theProxyItselfIsRefusedUnderEverySpellingOfThisMachine(String host) throws IOException {
    String answer = exchange("GET http://" + host + ":" + plainsight.proxyPort()
        + "/ HTTP/1.1\r\nHost: x\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 403"), host + ": " + answer);
  }

  @ParameterizedTest
  @MethodSource("spellingsOfThisMachine")
  void aConnectToTheDashboardIsRefusedUnderEverySpelling(String host) throws IOException {
    String answer = exchange("CONNECT " + host + ":" + dashboard + " HTTP/1.1\r\nHost: "
        + host + ":" + dashboard + "\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 403"), host + ": " + answer);
    assertTrue(answer.contains("is Plainsight itself"), answer);
  }

  @Test
  void aRefusalIsAnErrorFlowWithTheAddressItResolvedTo() throws IOException {
    String url = "http://2130706433:" + dashboard + "/api/flows?flowmarker";
    exchange("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    Flow flow = plainsight.awaitFlow(f -> url.equals(f.url()));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertTrue(flow.error().contains("2130706433 (127.0.0.1):" + dashboard), flow.error());
  }

  static Stream<String> connectTargetsThatAreNotHostAndPort() {
    int d = dashboard;
    return Stream.of("http://127.0.0.1:" + d + "/.bank.example", "127.0.0.1",
        "127.0.0.1:", "user@127.0.0.1:" + d, "127.0.0.1:" + d + "/x.bank.example",
        "127.0.0.1:" + d + "?.bank.example", "[::1]", "[::1", "::1:" + d,
        "127.0.0.1:+" + d, "127.0.0.1:0", "127.0.0.1:65536", "[fe80::1%25lo]:" + d,
        "a..b\\@127.0.0.1:" + d, "256.0.0.1:443", "1.2.3.4.5:443", "09:443", ":443",
        "127.0.0.1:" + d + "#.bank.example");
  }

  @ParameterizedTest
  @MethodSource("connectTargetsThatAreNotHostAndPort")
  void aConnectTargetThatIsNotHostAndPortIsA400(String target) throws IOException {
    String answer = exchange("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
        + "\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 400"), target + ": " + answer);
    assertTrue(answer.contains("bad CONNECT target"), answer);
  }

  @Test
  void aMalformedConnectTargetIsAnErrorFlowNamingIt() throws IOException {
    String target = "http://127.0.0.1:" + dashboard + "/.bank.example";
    exchange("CONNECT " + target + " HTTP/1.1\r\n\r\n");

    Flow flow = plainsight.awaitFlow(f -> f.error() != null
        && f.error().contains("bad CONNECT target \"" + target + "\""));
    assertEquals(FlowKind.ERROR, flow.kind());
    assertEquals(400, flow.status());
  }

  @Test
  void aWellFormedConnectToAPlainOriginIsStillAnswered() throws IOException {
    exchange("GET " + origin.url("/hello") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\n\r\n");
      assertTrue(client.readHead().startsWith("HTTP/1.1 200"));
    }
  }

  static Stream<String> requestTargetsThatAreNotUrls() {
    int p = origin.port();
    return Stream.of("http://user@127.0.0.1:" + p + "/", "http://127.0.0.1:/",
        "http://[::1/", "http://127.0.0.1:" + p + "\\@evil.example/", "http:///path",
        "https://127.0.0.1:" + p + "/", "ftp://127.0.0.1:" + p + "/",
        "http://1.2.3.4.5:" + p + "/", "http://[fe80::1%25lo]:" + p + "/");
  }

  @ParameterizedTest
  @MethodSource("requestTargetsThatAreNotUrls")
  void aRequestTargetThatIsNotAWellFormedUrlIsA400AndNeverForwarded(String uri)
      throws IOException {
    String answer = exchange("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
        + "\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 400"), uri + ": " + answer);
    assertFalse(answer.contains("hello from the origin"), answer);
  }

  @Test
  void aUrlWithAQueryButNoPathIsForwardedAsSlashQuery() throws IOException {
    String answer = exchange("GET http://127.0.0.1:" + origin.port() + "?x=1 HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + origin.port() + "\r\nConnection: close\r\n\r\n");

    assertTrue(answer.startsWith("HTTP/1.1 "), answer);
    Flow flow = plainsight.awaitFlow(f -> ("http://127.0.0.1:" + origin.port() + "/?x=1")
        .equals(f.url()));
    assertEquals(FlowKind.HTTP, flow.kind());
  }

  /** Sends one raw request and reads the answer's head and body. */
  static String exchange(String raw) throws IOException {
    try (RawProxyClient client = RawProxyClient.plain(plainsight.proxyPort())) {
      client.send(raw);
      String head;
      try {
        head = client.readHead();
      } catch (IOException closed) {
        return "closed: " + closed.getMessage();
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      client.readBody(head, (offset, data, length) -> body.write(data, 0, length));
      return head + body.toString(StandardCharsets.UTF_8);
    }
  }

  private static List<String> ownInterfaceAddresses() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
            String text = address.getHostAddress().replaceFirst("%.*$", "");
            out.add(address instanceof Inet4Address ? text : "[" + text + "]");
          }
        }
      }
    } catch (java.net.SocketException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
