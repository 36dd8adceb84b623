package dev.plainsight.proxy;

/** A host and port parsed from a CONNECT target or an absolute URL authority. */
record HostAndPort(String host, int port) {

  /** Parses "host:port", "[v6]:port" or "host" (with the given default port). */
  static HostAndPort parse(String authority, int defaultPort) {
    String value = authority.trim();
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed IPv6 literal in " + authority);
      }
      String host = value.substring(1, close);
      String rest = value.substring(close + 1);
      return new HostAndPort(host, rest.startsWith(":") ? port(rest.substring(1)) : defaultPort);
    }
    int colon = value.lastIndexOf(':');
    if (colon > 0 && value.indexOf(':') == colon) {
      return new HostAndPort(value.substring(0, colon), port(value.substring(colon + 1)));
    }
    return new HostAndPort(value, defaultPort);
  }

  /** The authority as it appears in a URL: IPv6 literals in brackets, default ports left out. */
  String authority(int defaultPort) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return port == defaultPort ? h : h + ":" + port;
  }

  private static int port(String text) {
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + text);
    }
    return port;
  }
}
