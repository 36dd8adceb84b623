package dev.plainsight.flow;

/**
 * A bounded copy of a message body: {@code size} is how many bytes passed through, {@code captured}
 * holds at most the capture limit of them, {@code truncated} says the copy is shorter than the body.
 */
public record Body(byte[] captured, long size, boolean truncated) {
  public static final Body EMPTY = new Body(new byte[0], 0, false);

  public Body {
    captured = captured == null ? new byte[0] : captured;
  }
}
