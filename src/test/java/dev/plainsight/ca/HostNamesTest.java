package dev.plainsight.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostNamesTest {
  @Test
  void namesAreLowerCasedAsciiWithoutATrailingDot() {
    assertEquals("shop.example", HostNames.parse("Shop.EXAMPLE.").key());
    assertEquals("xn--bcher-kva.example", HostNames.parse("bücher.example").key());
    assertEquals("under_score.example", HostNames.parse("under_score.example").key());
    assertNull(HostNames.parse("a.example").ip());
  }

  @Test
  void ipLiteralsAreCanonicalAndCarryTheirBytes() {
    assertArrayEquals(new byte[] {10, 0, 0, 1}, HostNames.parse("10.0.0.1").ip());
    assertEquals("::1", HostNames.parse("[::1]").key());
    assertEquals("2001:db8::1", HostNames.parse("2001:DB8:0:0:0:0:0:1").key());
    assertEquals("2001:db8:0:1:1:1:1:1", HostNames.parse("2001:db8:0:1:1:1:1:1").key());
    assertEquals("1::", HostNames.parse("1:0:0:0:0:0:0:0").key());
    assertEquals(16, HostNames.parse("fe80::1").ip().length);
  }

  @Test
  void numbersThatAreNotDottedQuadsAreNotTakenForIps() {
    assertFalse(HostNames.isIpLiteral("1.2.3"));
    assertFalse(HostNames.isIpLiteral("256.1.1.1"));
    assertTrue(HostNames.isIpLiteral("192.0.2.1"));
  }

  @Test
  void junkIsRefusedWithoutLookingAnythingUp() {
    for (String bad : new String[] {"", "a b", "-a.example", "a..b", "[a.example]", "1::2::3", "fe80::1%eth0", "x".repeat(64)}) {
      assertThrows(IllegalArgumentException.class, () -> HostNames.parse(bad), bad);
    }
  }
}
