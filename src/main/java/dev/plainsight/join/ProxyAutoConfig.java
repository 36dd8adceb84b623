package dev.plainsight.join;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The proxy auto-config (PAC) script browsers fetch from an "automatic proxy configuration URL":
 * everything through Plainsight (direct only if the proxy is unreachable), except the dashboard,
 * which the proxy never serves: a request whose URL names one of {@code direct} ({@code host:port}
 * as in a URL, IPv6 in brackets) goes {@code DIRECT}, so a participant's browser opens their own
 * dashboard view. The rule reads the host and port from the URL itself (any scheme: Chromium
 * hands {@code ws://} as {@code http://}, Firefox as it is), as plain ECMAScript 3 that every PAC
 * engine runs.
 */
public final class ProxyAutoConfig {
  public static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";

  private ProxyAutoConfig() {}

  public static String script(String proxyHost, int proxyPort, Collection<String> direct) {
    String proxy = (proxyHost.contains(":") && !proxyHost.startsWith("[")
        ? "[" + proxyHost + "]" : proxyHost) + ":" + proxyPort;
    List<String> quoted = new ArrayList<>();
    for (String authority : direct) {
      String lower = authority.toLowerCase(Locale.ROOT);
      quoted.add("\"" + lower.replace("\\", "").replace("\"", "") + "\"");
      if (lower.endsWith(":80")) {
        quoted.add("\"" + lower.substring(0, lower.length() - 3) + "\"");
      }
    }
    return """
        // Plainsight: send every request through the teaching proxy, except the dashboard
        // (which the proxy never serves: a browser reaches it directly).
        function FindProxyForURL(url, host) {
          var dashboard = [%s];
          var rest = url.substring(url.indexOf("://") + 3);
          var end = rest.search(/[\\/?#]/);
          var authority = (end < 0 ? rest : rest.substring(0, end)).toLowerCase();
          authority = authority.substring(authority.lastIndexOf("@") + 1);
          for (var i = 0; i < dashboard.length; i++) {
            if (authority == dashboard[i]) {
              return "DIRECT";
            }
          }
          return "PROXY %s; DIRECT";
        }
        """.formatted(String.join(", ", quoted), proxy);
  }
}
