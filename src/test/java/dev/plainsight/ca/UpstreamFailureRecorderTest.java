package dev.plainsight.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UpstreamFailureRecorderTest {
  final AtomicLong nanos = new AtomicLong();
  final UpstreamFailureRecorder recorder = new UpstreamFailureRecorder(nanos::get, Duration.ofSeconds(60), 3);

  @Test
  void aRecordedReasonIsTakenOnce() {
    recorder.record("a.example:443", "expired");

    assertEquals(Optional.of("expired"), recorder.take("a.example:443"));
    assertEquals(Optional.empty(), recorder.take("a.example:443"));
  }

  @Test
  void theLatestReasonForAHostWins() {
    recorder.record("a.example:443", "first");
    recorder.record("a.example:443", "second");

    assertEquals(Optional.of("second"), recorder.take("a.example:443"));
  }

  @Test
  void reasonsAreKeptPerHostAndPort() {
    recorder.record("a.example:443", "on 443");

    assertEquals(Optional.empty(), recorder.take("a.example:8443"));
    assertEquals(Optional.empty(), recorder.take("b.example:443"));
  }

  @Test
  void caseAndIpv6BracketsDoNotMatter() {
    recorder.record("A.Example:443", "named");
    recorder.record("::1:8443", "v6");

    assertEquals(Optional.of("named"), recorder.take("a.example:443"));
    assertEquals(Optional.of("v6"), recorder.take("[::1]:8443"));
  }

  @Test
  void reasonsAreForgottenAfterAMinute() {
    recorder.record("a.example:443", "stale");
    nanos.addAndGet(Duration.ofSeconds(61).toNanos());

    assertEquals(Optional.empty(), recorder.take("a.example:443"));
  }

  @Test
  void onlyTheNewestEntriesAreKept() {
    for (String host : new String[] {"a", "b", "c", "d"}) {
      recorder.record(host + ":443", host);
    }

    assertEquals(Optional.empty(), recorder.take("a:443"));
    assertEquals(Optional.of("d"), recorder.take("d:443"));
  }
}
