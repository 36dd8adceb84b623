package dev.plainsight.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of legs: exact round trips (IPv4 and IPv6), and a clear refusal of damage. */
class LegCodecTest {
  private static final Instant T0 = Instant.parse("2026-12-03T09:00:00.123456Z");

  @Test
  void legsComeBackAsTheyWent() {
    TcpLeg client = new TcpLeg(new InetSocketAddress("127.0.0.1", 50123),
        new InetSocketAddress("127.0.0.1", 8080), T0, T0.plusMillis(1),
        List.of(new TcpLeg.Segment(true, T0.plusMillis(2), bytes("GET / HTTP/1.1\r\n\r\n")),
            new TcpLeg.Segment(false, T0.plusMillis(3), bytes("HTTP/1.1 200 OK\r\n\r\n"))),
        TcpLeg.Ending.FIN_BY_CLIENT, T0.plusMillis(4), false);
    TcpLeg server = new TcpLeg(new InetSocketAddress("::1", 40000),
        new InetSocketAddress("::1", 443), T0, null, List.of(), TcpLeg.Ending.OPEN, null, true);
    List<TcpLeg> back = LegCodec.decode(LegCodec.encode(List.of(client, server)));
    assertEquals(2, back.size());
    assertEquals(client.client(), back.get(0).client());
    assertEquals(client.ended(), back.get(0).ended());
    assertEquals(TcpLeg.Ending.FIN_BY_CLIENT, back.get(0).ending());
    assertEquals(T0.plusMillis(3), back.get(0).segments().get(1).at());
    assertArrayEquals(bytes("HTTP/1.1 200 OK\r\n\r\n"), back.get(0).segments().get(1).bytes());
    assertEquals(new InetSocketAddress("::1", 443), back.get(1).server());
    assertTrue(back.get(1).cut());
  }

  @Test
  void damagedLegsAreRefusedSayingWhy() {
    byte[] good = LegCodec.encode(List.of(new TcpLeg(new InetSocketAddress("127.0.0.1", 1),
        new InetSocketAddress("127.0.0.1", 2), T0, null,
        List.of(new TcpLeg.Segment(true, T0, bytes("hello"))), null, null, false)));
    byte[] cut = Arrays.copyOf(good, good.length - 3);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LegCodec.decode(cut))
        .getMessage().contains("segment"));
    byte[] version = good.clone();
    version[0] = 9;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LegCodec.decode(version))
        .getMessage().contains("version"));
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LegCodec.decode(longer))
        .getMessage().contains("after the end"));
    assertThrows(IllegalArgumentException.class, () -> LegCodec.decode(new byte[0]));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
