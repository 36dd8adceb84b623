package dev.plainsight.store;

/** A HAR file that cannot be imported; the message says where and what is wrong. */
public final class HarFormatException extends Exception {
  public HarFormatException(String message) {
    super(message);
  }

  public HarFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
