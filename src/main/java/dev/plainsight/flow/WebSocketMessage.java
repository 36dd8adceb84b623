package dev.plainsight.flow;

import java.time.Instant;

/**
 * One WebSocket frame seen on an upgraded flow. {@code fromClient} says who sent it; {@code type}
 * is text, binary, close, ping or pong; {@code payload} is a bounded copy of {@code size} bytes.
 */
public record WebSocketMessage(Instant at, boolean fromClient, String type, long size,
    byte[] payload, boolean truncated) {

  public WebSocketMessage {
    payload = payload == null ? new byte[0] : payload;
  }
}
