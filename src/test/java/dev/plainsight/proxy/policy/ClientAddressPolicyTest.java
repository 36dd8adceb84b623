package dev.plainsight.proxy.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressPolicyTest {
  private final ClientAddressPolicy localOnly = new ClientAddressPolicy(false);
  private final ClientAddressPolicy open = new ClientAddressPolicy(true);

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1", "10.1.2.3", "172.16.0.9", "172.31.255.1",
      "192.168.1.20", "169.254.3.4", "fe80::1", "fc00::5", "fd12:3456::1", "::ffff:192.168.0.7"})
  void localAndPrivateClientsAreServed(String address) {
    assertTrue(localOnly.allows(new InetSocketAddress(address, 50000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "100.64.0.1", "2001:db8::1", "::ffff:1.1.1.1"})
  void publicClientsAreRefusedUnlessAllowed(String address) {
    assertFalse(localOnly.allows(new InetSocketAddress(address, 50000)));
    assertTrue(open.allows(new InetSocketAddress(address, 50000)));
  }
}
