package dev.plainsight.flow;

import java.time.Instant;

/**
 * One WebSocket message seen on an upgraded flow (its fragments joined, permessage-deflate
 * undone). {@code fromClient} says who sent it; {@code at} is when its last frame passed;
 * {@code type} is text, binary, close, ping or pong; {@code payload} is a bounded copy of its
 * {@code size} bytes ({@code truncated} when shorter). A flow keeps a bounded number of messages:
 * when some were not kept, its list ends with one {@link #OMITTED} entry whose {@code size} is how
 * many.
 */
public record WebSocketMessage(Instant at, boolean fromClient, String type, long size,
    byte[] payload, boolean truncated) {
  public static final String TEXT = "text";
  public static final String BINARY = "binary";
  public static final String CLOSE = "close";
  public static final String PING = "ping";
  public static final String PONG = "pong";
  public static final String OMITTED = "omitted";

  public WebSocketMessage {
    payload = payload == null ? new byte[0] : payload;
  }

  /** The entry standing for {@code count} messages seen but not kept, the last at {@code at}. */
  public static WebSocketMessage omitted(Instant at, long count) {
    return new WebSocketMessage(at, false, OMITTED, count, new byte[0], false);
  }

  /** Whether this is the {@link #OMITTED} entry (not a message). */
  public boolean standsForOmitted() {
    return OMITTED.equals(type);
  }
}
