package dev.plainsight.flow;

/** What kind of exchange a flow records; {@link #wire()} is the name used in the API (SPEC.md). */
public enum FlowKind {
  HTTP("http"),
  HTTPS_DECRYPTED("https-decrypted"),
  HTTPS_TUNNEL("https-tunnel"),
  HTTPS_REJECTED("https-rejected"),
  ERROR("error");

  private final String wire;

  FlowKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static FlowKind fromWire(String name) {
    for (FlowKind kind : values()) {
      if (kind.wire.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown flow kind: " + name);
  }
}
