package dev.plainsight.proxy.littleproxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlainOriginsTest {
  @Test
  void port80IsPlainAndAnotherPortOnlyOnceItAnsweredPlainHttp() {
    PlainOrigins origins = new PlainOrigins();
    assertTrue(origins.isPlain("example.test", 80));
    assertFalse(origins.isPlain("example.test", 8180));
    assertFalse(origins.isPlain("example.test", 443));
    origins.answered("Example.TEST", 8180);
    assertTrue(origins.isPlain("example.test", 8180), "host names ignore case");
    assertFalse(origins.isPlain("other.test", 8180), "per host, not per port");
    origins.answered("odd.test", 443);
    assertFalse(origins.isPlain("odd.test", 443), "443 is always TLS");
  }

  @Test
  void theLeastRecentlySeenOriginIsForgottenBeyondTheCapacity() {
    PlainOrigins origins = new PlainOrigins();
    origins.answered("first.test", 8000);
    for (int i = 0; i < PlainOrigins.CAPACITY; i++) {
      origins.answered("h" + i + ".test", 8000);
    }
    assertFalse(origins.isPlain("first.test", 8000));
    assertTrue(origins.isPlain("h" + (PlainOrigins.CAPACITY - 1) + ".test", 8000));
  }
}
