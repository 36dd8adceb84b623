package dev.plainsight.flow;

/** What the proxy did with a client connection. */
public enum ConnectionHandling {
  /** Plain HTTP requests, forwarded. */
  PLAIN,
  /** A CONNECT tunnel passed through without decryption. */
  TUNNEL,
  /** A CONNECT whose TLS the proxy terminated and decrypted. */
  INTERCEPTED,
  /** A CONNECT whose client refused the proxy's certificate. */
  REFUSED,
  /** The proxy answered itself (an error, a refusal of the target) instead of connecting. */
  ANSWERED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
