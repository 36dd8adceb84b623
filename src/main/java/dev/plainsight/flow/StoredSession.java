package dev.plainsight.flow;

import java.time.Instant;

/**
 * A capture session as listed: {@code id} is stable (flows carry it in {@code Flow.session()}),
 * {@code name} can be changed. {@code trafficBytes} adds up the request and response bytes that
 * passed; {@code storedBytes} what the session's flows take in the database before bodies shared
 * with other flows are counted once.
 */
public record StoredSession(
    String id,
    String name,
    Instant startedAt,
    long flowCount,
    long trafficBytes,
    long storedBytes,
    boolean current) {}
