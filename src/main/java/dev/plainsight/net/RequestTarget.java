package dev.plainsight.net;

import java.util.Locale;

/**
 * An absolute-form request target ({@code http://host:port/path?query}, RFC 9112 §3.2.2), parsed
 * once: the scheme ({@code http}, or {@code ws} as some clients send for a WebSocket), the
 * {@link Authority} and the path with its query. {@link #routingUri()} is the canonical form
 * LittleProxy is given (it routes on the text between "://" and the first '/'), so that what
 * Plainsight checked and records is the server it connects to. Other schemes ({@code https}
 * goes through CONNECT), userinfo, a fragment-only or missing path, and control characters are
 * refused with an {@link IllegalArgumentException} saying why.
 */
public record RequestTarget(String scheme, Authority authority, String pathAndQuery) {

  /** True for a target in absolute form (a scheme before "://"), as opposed to "/path". */
  public static boolean isAbsolute(String uri) {
    int colon = uri.indexOf("://");
    return colon > 0 && uri.substring(0, colon).chars().allMatch(Character::isLetter);
  }

  public static RequestTarget parse(String uri) {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd <= 0) {
      throw new IllegalArgumentException("not an absolute URL");
    }
    String scheme = uri.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("ws")) {
      throw new IllegalArgumentException(scheme.equals("https") || scheme.equals("wss")
          ? "an " + scheme + ":// URL is requested through CONNECT, not as a plain request"
          : "the scheme \"" + scheme + "\" is not proxied (http only)");
    }
    String rest = uri.substring(schemeEnd + 3);
    int end = rest.length();
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    Authority authority = Authority.parse(rest.substring(0, end), 80);
    String path = rest.substring(end);
    int fragment = path.indexOf('#');
    if (fragment >= 0) {
      path = path.substring(0, fragment);
    }
    if (path.isEmpty()) {
      path = "/";
    } else if (path.startsWith("?")) {
      path = "/" + path;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException("a control character in the path");
      }
    }
    return new RequestTarget(scheme, authority, path);
  }

  /** What LittleProxy routes on: always {@code http://host:port/path}. */
  public String routingUri() {
    return "http://" + authority.hostPort() + pathAndQuery;
  }

  /** The URL as recorded and shown: the client's scheme, the default port left out. */
  public String url() {
    return scheme + "://" + authority.authority(80) + pathAndQuery;
  }
}
