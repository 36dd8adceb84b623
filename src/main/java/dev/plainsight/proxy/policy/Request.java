package dev.plainsight.proxy.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One request head as the {@link Decider}s see it, read once by the proxy's edge before any of it
 * is forwarded. {@code host} and {@code port} are where the request asks to go (the CONNECT
 * target, the absolute URL's authority, or the Host header of a path-only request), {@code host}
 * null when it names none well-formed; {@code path} is the path and query ("/" at least).
 * {@code client} is the client's address (null if unknown), {@code proxy} the proxy address the
 * client reached, {@code proxyAuthorization} the raw header or null.
 */
public record Request(Kind kind, String method, String host, int port, String path,
    InetAddress client, InetSocketAddress proxy, String proxyAuthorization) {

  /** Which stage of a client connection the request belongs to. */
  public enum Kind {
    /** A request sent to the proxy in plain HTTP (absolute URL, or a path with a Host header). */
    PLAIN,
    /** A CONNECT: a tunnel or an interception is asked for. */
    CONNECT,
    /** A request inside a CONNECT the proxy answered itself as plain HTTP (browsers' ws://). */
    INSIDE_PLAIN_CONNECT,
    /** A decrypted request inside an intercepted CONNECT. */
    DECRYPTED;

    /** True inside a CONNECT: the CONNECT carried the credentials and was decided already. */
    public boolean insideConnect() {
      return this == INSIDE_PLAIN_CONNECT || this == DECRYPTED;
    }
  }
}
