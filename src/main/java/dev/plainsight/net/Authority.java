package dev.plainsight.net;

import java.util.Locale;

/**
 * A host and port, parsed once from what a client sent: a CONNECT target (authority form), the
 * authority of an absolute URL, or a Host header. Parsing is strict (RFC 9110 §4.2, RFC 3986
 * §3.2): a registered name of letters, digits, '-', '.' and '_', an IPv4 address in any form the
 * system's resolver would read as a number ({@link NumericHost}: never sent to DNS), or an IPv6
 * literal in brackets without a zone; no scheme, userinfo, path, spaces or control characters.
 * Anything else is an {@link IllegalArgumentException} whose message says what was wrong.
 * Names are lower-cased; {@link #hostPort()} is the canonical form handed on to LittleProxy, so
 * that what Plainsight checked and records is what it connects to.
 */
public record Authority(String host, int port) {
  private static final int MAX_NAME = 253;

  public Authority {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** A CONNECT's request target: exactly {@code host:port} or {@code [v6]:port}. */
  public static Authority parseConnectTarget(String target) {
    return parse(target, -1);
  }

  /**
   * The authority of an absolute URL or a Host header: {@code host}, {@code host:port},
   * {@code [v6]} or {@code [v6]:port}; without a port, {@code defaultPort}. An empty port
   * ({@code host:}) is refused.
   */
  public static Authority parse(String authority, int defaultPort) {
    if (authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    for (int i = 0; i < authority.length(); i++) {
      char c = authority.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("a space or control character in the host");
      }
      if (c == '@') {
        throw new IllegalArgumentException("user information ('@') is not allowed here");
      }
      if (c == '/' || c == '?' || c == '#' || c == '\\') {
        throw new IllegalArgumentException("a path or scheme is not allowed here ('" + c + "')");
      }
    }
    String host;
    String portText;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed IPv6 literal");
      }
      host = ipv6(authority.substring(1, close));
      String rest = authority.substring(close + 1);
      if (rest.isEmpty()) {
        portText = null;
      } else if (rest.startsWith(":")) {
        portText = rest.substring(1);
      } else {
        throw new IllegalArgumentException("unexpected text after the IPv6 literal");
      }
    } else {
      int colon = authority.indexOf(':');
      if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("an IPv6 address must be in brackets");
      }
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
      host = name(host);
    }
    int port;
    if (portText == null) {
      if (defaultPort < 0) {
        throw new IllegalArgumentException("no port (a CONNECT target is host:port)");
      }
      port = defaultPort;
    } else {
      port = port(portText);
    }
    return new Authority(host, port);
  }

  /** The two parts of {@link #split}: host without brackets, port text or null. */
  public record Parts(String host, String port) {}

  /**
   * Splits {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port} without checking
   * either part (a bare IPv6 address is all host): only for text already trusted or already
   * checked, such as the proxy's own client addresses or a Host header the dashboard accepted.
   * What an attacker sends goes through {@link #parse}.
   */
  public static Parts split(String text) {
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close > 0) {
        String rest = text.substring(close + 1);
        return new Parts(text.substring(1, close), rest.startsWith(":") ? rest.substring(1) : null);
      }
      return new Parts(text, null);
    }
    int colon = text.indexOf(':');
    return colon > 0 && colon == text.lastIndexOf(':')
        ? new Parts(text.substring(0, colon), text.substring(colon + 1)) : new Parts(text, null);
  }

  /** {@code host:port}, IPv6 literals in brackets: the form LittleProxy is given. */
  public String hostPort() {
    return bracketed() + ":" + port;
  }

  /** The authority as in a URL: IPv6 literals in brackets, the default port left out. */
  public String authority(int defaultPort) {
    return port == defaultPort ? bracketed() : hostPort();
  }

  private String bracketed() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  private static String name(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (text.length() > MAX_NAME) {
      throw new IllegalArgumentException("host name longer than " + MAX_NAME + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_';
      if (!ok) {
        throw new IllegalArgumentException("'" + c + "' is not allowed in a host name");
      }
    }
    String lower = text.toLowerCase(Locale.ROOT);
    NumericHost numeric = NumericHost.parse(lower);
    if (numeric.looksNumeric() && numeric.address() == null) {
      throw new IllegalArgumentException("\"" + text + "\" is not a valid IPv4 address");
    }
    return lower;
  }

  private static String ipv6(String literal) {
    if (literal.isEmpty()) {
      throw new IllegalArgumentException("empty IPv6 literal");
    }
    if (literal.indexOf('%') >= 0) {
      throw new IllegalArgumentException("an IPv6 zone is not allowed");
    }
    if (NumericHost.parseIpv6(literal) == null) {
      throw new IllegalArgumentException("\"" + literal + "\" is not a valid IPv6 address");
    }
    return literal.toLowerCase(Locale.ROOT);
  }

  private static int port(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty port");
    }
    if (text.length() > 5) {
      throw new IllegalArgumentException("port out of range: " + text);
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        throw new IllegalArgumentException("port is not a number: " + text);
      }
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + text);
    }
    return port;
  }
}
