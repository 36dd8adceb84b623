package dev.plainsight.store;

import java.time.Duration;

/**
 * How a {@link SqliteFlowStore} behaves. {@code sessionName} names the session opened at start
 * (null: a new one named by date and time; an existing name continues that session).
 * {@code queueCapacity} and {@code queueMaxBytes} bound the flows waiting for the writer: past
 * the count, new flows are dropped and counted; past the bytes, they are kept without their body
 * bytes (counted); never waited for. {@code maxDataBytes} and
 * {@code maxSessions} (0 = no limit) make the store delete its oldest sessions, never the current
 * one. {@code maxIndexedChars} caps the text of one body that full-text search sees.
 */
public record StoreOptions(
    String sessionName,
    int queueCapacity,
    long queueMaxBytes,
    long maxDataBytes,
    int maxSessions,
    int maxIndexedChars,
    int readConnections,
    Duration commitInterval,
    Duration retentionInterval) {

  public StoreOptions {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1");
    }
    if (queueMaxBytes < 1) {
      throw new IllegalArgumentException("queueMaxBytes must be at least 1");
    }
    if (maxDataBytes < 0 || maxSessions < 0 || maxIndexedChars < 0) {
      throw new IllegalArgumentException("limits must not be negative (0 means no limit)");
    }
    if (readConnections < 1) {
      throw new IllegalArgumentException("readConnections must be at least 1");
    }
    commitInterval = commitInterval == null ? Duration.ofMillis(100) : commitInterval;
    retentionInterval = retentionInterval == null ? Duration.ofSeconds(1) : retentionInterval;
  }

  /**
   * 10,000 queued flows or 64 MiB (at most a quarter of the heap, so a small heap is not filled by
   * a burst of large bodies), no retention limit, 128 Ki characters indexed per body.
   */
  public static StoreOptions defaults() {
    long queueBytes = Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    return new StoreOptions(null, 10_000, queueBytes, 0, 0, 128 * 1024, 4,
        Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  public StoreOptions withSessionName(String value) {
    return new StoreOptions(value, queueCapacity, queueMaxBytes, maxDataBytes, maxSessions,
        maxIndexedChars, readConnections, commitInterval, retentionInterval);
  }

  public StoreOptions withQueue(int capacity, long maxBytes) {
    return new StoreOptions(sessionName, capacity, maxBytes, maxDataBytes, maxSessions,
        maxIndexedChars, readConnections, commitInterval, retentionInterval);
  }

  public StoreOptions withRetention(long maxBytes, int sessions) {
    return new StoreOptions(sessionName, queueCapacity, queueMaxBytes, maxBytes, sessions,
        maxIndexedChars, readConnections, commitInterval, retentionInterval);
  }

  public StoreOptions withRetentionInterval(Duration value) {
    return new StoreOptions(sessionName, queueCapacity, queueMaxBytes, maxDataBytes, maxSessions,
        maxIndexedChars, readConnections, commitInterval, value);
  }

  public StoreOptions withMaxIndexedChars(int value) {
    return new StoreOptions(sessionName, queueCapacity, queueMaxBytes, maxDataBytes, maxSessions,
        value, readConnections, commitInterval, retentionInterval);
  }
}
