package dev.plainsight.store;

import dev.plainsight.flow.Flow;

/** Copies of a captured flow as if they came on connection {@code n} (for writer benchmarks). */
final class ConnectionCopies {
  private ConnectionCopies() {}

  static Flow of(Flow sample, long n) {
    return sample.withId(0).withConnection(n + 1);
  }
}
