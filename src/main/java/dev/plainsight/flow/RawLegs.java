package dev.plainsight.flow;

import java.util.Objects;

/**
 * The raw bytes of one client connection's legs as the store keeps them once the connection has
 * ended: {@code legs} in the packet capture's own encoding (the store does not read it) and the
 * TLS secrets of those legs as NSS key log lines ({@code secrets}, empty when none are known).
 */
public record RawLegs(long connectionId, byte[] legs, String secrets) {
  public RawLegs {
    Objects.requireNonNull(legs, "legs");
    secrets = secrets == null ? "" : secrets;
  }
}
