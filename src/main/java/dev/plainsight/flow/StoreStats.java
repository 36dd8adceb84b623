package dev.plainsight.flow;

import java.util.Map;

/**
 * What a store has lost or holds back, for {@code /api/stats}: flows dropped because the queue was
 * full (and by client), kept without body bytes, not captured while paused ({@code paused} says
 * why, null while capturing), lost to write errors, queued, and the bytes of data stored.
 */
public record StoreStats(long dropped, long bodiesNotKept, Map<String, Long> droppedByClient,
    String paused, long notCaptured, long failedWrites, int queued, long dataBytes) {}
