package dev.plainsight.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.littleshoot.proxy.impl.ProxyUtils;

/**
 * The target parsers against LittleProxy's own routing, as the oracle: for every CONNECT target
 * and request URL Plainsight accepts, the canonical form it hands LittleProxy routes (by
 * LittleProxy's {@code parseHostAndPort} and Guava's {@code HostAndPort}, as in
 * {@code ProxyToServerConnection.addressFor}) to exactly the host and port Plainsight checked
 * and records, and the path sent to the server is the path recorded. Inputs are built from
 * pieces an attacker would use: schemes, '@', '/', '\', '#', '?', brackets, zones, NUL,
 * numeric hosts in every base, empty and signed ports. About 29 % of the CONNECT targets
 * and 21 % of the URLs are accepted (the statistics in the test output say).
 */
class TargetParsersPropertiesTest {

  @Property(tries = 10_000)
  void anAcceptedConnectTargetRoutesToTheAuthorityRecorded(
      @ForAll("connectTargets") String target) {
    Authority parsed;
    try {
      parsed = Authority.parseConnectTarget(target);
    } catch (IllegalArgumentException refused) {
      assertNotNull(refused.getMessage());
      Statistics.collect("refused");
      return;
    }
    Statistics.collect("accepted");
    String routed = ProxyUtils.parseHostAndPort(parsed.hostPort());
    com.google.common.net.HostAndPort guava = com.google.common.net.HostAndPort.fromString(routed);
    assertEquals(parsed.host(), guava.getHost(), target);
    assertEquals(parsed.port(), guava.getPort(), target);
    assertEquals(parsed, Authority.parseConnectTarget(parsed.hostPort()), "canonical is stable");
    assertSafeHost(parsed.host(), target);
  }

  @Property(tries = 10_000)
  void anAcceptedUrlRoutesToTheAuthorityRecordedAndSendsThePathRecorded(
      @ForAll("requestTargets") String uri) {
    RequestTarget parsed;
    try {
      parsed = RequestTarget.parse(uri);
    } catch (IllegalArgumentException refused) {
      assertNotNull(refused.getMessage());
      Statistics.collect("refused");
      return;
    }
    Statistics.collect("accepted");
    String routing = parsed.routingUri();
    com.google.common.net.HostAndPort guava =
        com.google.common.net.HostAndPort.fromString(ProxyUtils.parseHostAndPort(routing));
    assertEquals(parsed.authority().host(), guava.getHost(), uri);
    assertEquals(parsed.authority().port(), guava.getPortOrDefault(80), uri);
    assertEquals(parsed.pathAndQuery(), ProxyUtils.stripHost(routing), uri);
    assertTrue(parsed.pathAndQuery().startsWith("/"), uri);
    assertEquals(parsed, RequestTarget.parse(parsed.url()), "recorded URL parses to itself");
    assertSafeHost(parsed.authority().host(), uri);
  }

  @Property(tries = 10_000)
  void aNumericHostIsTheAddressItsPartsSpell(@ForAll("ipv4") int address,
      @ForAll("numericForms") int form) throws Exception {
    byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
        (byte) address};
    long unsigned = address & 0xffffffffL;
    String text = switch (form) {
      case 0 -> (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
      case 1 -> Long.toString(unsigned);
      case 2 -> "0x" + Long.toHexString(unsigned);
      case 3 -> "0" + Long.toOctalString(unsigned);
      case 4 -> (b[0] & 0xff) + "." + ((unsigned >>> 16) & 0xff) + "." + (unsigned & 0xffff);
      default -> "0x" + Integer.toHexString(b[0] & 0xff) + "." + (unsigned & 0xffffff);
    };
    NumericHost parsed = NumericHost.parse(text);
    assertTrue(parsed.looksNumeric(), text);
    assertEquals(InetAddress.getByAddress(b), parsed.address(), text);
  }

  private static void assertSafeHost(String host, String input) {
    for (char c : host.toCharArray()) {
      assertTrue(Character.isLetterOrDigit(c) || "-._:".indexOf(c) >= 0,
          "host \"" + host + "\" from " + input);
    }
  }

  @Provide
  Arbitrary<String> connectTargets() {
    return Combinators.combine(prefixes(), hosts(), suffixes(), ports())
        .as((prefix, host, suffix, port) -> prefix + host + suffix + port);
  }

  @Provide
  Arbitrary<String> requestTargets() {
    Arbitrary<String> schemes = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("http://",
        "HTTP://", "ws://")), Tuple.of(1, Arbitraries.of("https://", "http:/", "http:///",
        "ftp://", "")));
    Arbitrary<String> paths = urlPaths();
    return Combinators.combine(schemes, prefixes(), hosts(), suffixes(), ports(), paths)
        .as((scheme, prefix, host, suffix, port, path) ->
            scheme + prefix.replace("http://", "") + host + suffix + port + path);
  }

  private static Arbitrary<String> urlPaths() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("", "/", "/a/b?c=d", "?q",
        "/x#y", "/%zz", "/../..", "/a@b")), Tuple.of(1, Arbitraries.of("#frag", "/\u0000",
        "/ space", "\\@evil.example/", "@evil.example/")));
  }

  private static Arbitrary<String> prefixes() {
    return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("")), Tuple.of(1,
        Arbitraries.of("user@", "http://", "[", "a:b@", " ", "\u0000")));
  }

  private static Arbitrary<String> hosts() {
    Arbitrary<String> named = Arbitraries.of("example.com", "a.bank.example", "localhost",
        "LOCALHOST", "127.0.0.1", "2130706433", "0", "0x7f.1", "017700000001", "127.1",
        "1.2.3.4.5", "256.1.1.1", "09", "0x", "[::1]", "[::ffff:127.0.0.1]", "[fe80::1%25lo]",
        "[::1", "::1", "[v1.x]", "", "a..b", "-a", "a_b", "xn--bcher-kva.example", "ex ample",
        "ex%41mple", "127.0.0.1.", "[::FFFF:7F00:1]");
    Arbitrary<String> random = Arbitraries.strings()
        .withChars("abz09.-_:[]@/%\\#?x\u0000 ").ofMinLength(0).ofMaxLength(12);
    return Arbitraries.frequencyOf(Tuple.of(3, named), Tuple.of(2, random));
  }

  private static Arbitrary<String> suffixes() {
    return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(":")), Tuple.of(1,
        Arbitraries.of("", "::", "/.bank.example:", "#:", "?x:", "@h:")));
  }

  private static Arbitrary<String> ports() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(1, 65535)
        .map(String::valueOf)), Tuple.of(1, Arbitraries.of("", "0", "65536", "+80", "-1",
        "080", "1e3", ":443", "443/x", "99999999999")));
  }

  @Provide
  Arbitrary<Integer> ipv4() {
    return Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  @Provide
  Arbitrary<Integer> numericForms() {
    return Arbitraries.integers().between(0, 5);
  }

  /** Known forms, as glibc's inet_aton reads them. */
  @net.jqwik.api.Example
  void knownNumericForms() throws Exception {
    for (List<String> pair : List.of(List.of("2130706433", "127.0.0.1"),
        List.of("0", "0.0.0.0"), List.of("0x7f.1", "127.0.0.1"),
        List.of("0177.0.0.1", "127.0.0.1"), List.of("127.1", "127.0.0.1"),
        List.of("10.0x10000", "10.1.0.0"), List.of("127.0.0.1.", "127.0.0.1"))) {
      assertEquals(InetAddress.getByName(pair.get(1)), NumericHost.parse(pair.get(0)).address(),
          pair.get(0));
    }
    for (String invalid : List.of("1.2.3.4.5", "256.1.1.1", "09", "0x", "4294967296",
        "1.16777216")) {
      NumericHost parsed = NumericHost.parse(invalid);
      assertTrue(parsed.looksNumeric() && parsed.address() == null, invalid);
    }
    assertTrue(!NumericHost.parse("0xff.de").looksNumeric(), "a name whose first label is hex");
  }
}
