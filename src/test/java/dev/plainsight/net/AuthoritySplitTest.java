package dev.plainsight.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Authority#split}: the lenient split for trusted text, the one place besides parse. */
class AuthoritySplitTest {
  @Test
  void splitsEachFormOfHostAndPort() {
    assertEquals(new Authority.Parts("1.2.3.4", "5"), Authority.split("1.2.3.4:5"));
    assertEquals(new Authority.Parts("localhost", null), Authority.split("localhost"));
    assertEquals(new Authority.Parts("::1", "8081"), Authority.split("[::1]:8081"));
    assertEquals(new Authority.Parts("::1", null), Authority.split("[::1]"));
    assertEquals(new Authority.Parts("fe80::1", null), Authority.split("fe80::1"),
        "a bare IPv6 address is all host");
    assertEquals(new Authority.Parts("", null), Authority.split(""));
  }
}
