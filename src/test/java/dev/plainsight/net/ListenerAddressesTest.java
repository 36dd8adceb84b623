package dev.plainsight.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of this machine's addresses people are given for a listener, best first. */
class ListenerAddressesTest {
  private static final List<InetAddress> INTERFACES = addresses("127.0.0.1", "::1",
      "fe80::1", "192.168.1.20", "10.0.0.5", "fd00::2", "169.254.3.4");

  @Test
  void aListenerOnOneAddressIsReachedThere() throws Exception {
    assertEquals(addresses("192.168.1.20"),
        ListenerAddresses.reachable(InetAddress.getByName("192.168.1.20"), INTERFACES));
  }

  @Test
  void aListenerOnAllIpv4AddressesOffersTheLanBeforeLoopbackAndNoLinkLocal() throws Exception {
    assertEquals(addresses("10.0.0.5", "192.168.1.20", "127.0.0.1"),
        ListenerAddresses.reachable(InetAddress.getByName("0.0.0.0"), INTERFACES));
  }

  @Test
  void aListenerOnAllAddressesOffersIpv4BeforeIpv6() throws Exception {
    assertEquals(addresses("10.0.0.5", "192.168.1.20", "fd00::2", "127.0.0.1", "::1"),
        ListenerAddresses.reachable(InetAddress.getByName("::"), INTERFACES));
  }

  @Test
  void withoutInterfacesLoopbackRemains() throws Exception {
    assertEquals(List.of(InetAddress.getLoopbackAddress()),
        ListenerAddresses.reachable(InetAddress.getByName("0.0.0.0"), List.of()));
  }

  @Test
  void ipv6GoesIntoUrlsInBracketsWithoutItsScope() throws Exception {
    assertEquals("[fe80:0:0:0:0:0:0:1]:8080",
        ListenerAddresses.authority(InetAddress.getByName("fe80::1%1"), 8080));
    assertEquals("10.0.0.5:8080",
        ListenerAddresses.authority(InetAddress.getByName("10.0.0.5"), 8080));
  }

  private static List<InetAddress> addresses(String... literals) {
    return java.util.Arrays.stream(literals).map(literal -> {
      try {
        return InetAddress.getByName(literal);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }).toList();
  }
}
