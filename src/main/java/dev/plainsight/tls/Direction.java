package dev.plainsight.tls;

/** Which way bytes travel on the observed TCP connection. */
public enum Direction {
  CLIENT_TO_SERVER,
  SERVER_TO_CLIENT;

  /** "client" or "server": the side that sent the bytes, as used in notes. */
  public String sender() {
    return this == CLIENT_TO_SERVER ? "client" : "server";
  }
}
