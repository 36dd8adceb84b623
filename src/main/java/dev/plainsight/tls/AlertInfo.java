package dev.plainsight.tls;

/**
 * A plaintext alert record ({@code 15 03 03 00 02 <level> <description>}): who sent it, "warning"
 * or "fatal", and its RFC 8446 description, e.g. 48 "unknown_ca".
 */
public record AlertInfo(Direction direction, String level, int code, String name) {

  @Override
  public String toString() {
    return name + " (" + code + ", " + level + ", from " + direction.sender() + ")";
  }
}
