package dev.plainsight.keylog;

import java.nio.ByteBuffer;

/**
 * The client random of a connection, read from the first TLS record of the client's first
 * flight: record header (5 bytes), handshake header (4), legacy version (2), random (32).
 */
public final class ClientRandom {
  private static final int RANDOM_AT = 11;
  private static final int LENGTH = 32;

  private ClientRandom() {}

  /**
   * The 32 random bytes when {@code bytes} (from its position, which is left alone) starts with a
   * handshake record holding a ClientHello; null otherwise.
   */
  public static byte[] fromHello(ByteBuffer bytes) {
    int at = bytes.position();
    if (bytes.remaining() < RANDOM_AT + LENGTH || bytes.get(at) != 22 || bytes.get(at + 5) != 1) {
      return null;
    }
    byte[] random = new byte[LENGTH];
    bytes.duplicate().position(at + RANDOM_AT).get(random);
    return random;
  }
}
