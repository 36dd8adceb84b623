package dev.plainsight.flow;

/**
 * Milliseconds per step, in the order of the story; null where the step did not happen on this
 * flow (a reused connection has no DNS, TCP or TLS step).
 */
public record Timings(
    Long dnsMs,
    Long connectMs,
    Long tlsUpstreamMs,
    Long tlsClientMs,
    Long waitMs,
    Long transferMs) {
  public static final Timings NONE = new Timings(null, null, null, null, null, null);
}
