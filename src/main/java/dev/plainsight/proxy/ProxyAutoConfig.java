package dev.plainsight.proxy;

/**
 * The proxy auto-config (PAC) script browsers fetch from an "automatic proxy configuration URL":
 * everything through Plainsight, direct only if the proxy is unreachable.
 */
public final class ProxyAutoConfig {
  public static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";

  private ProxyAutoConfig() {}

  public static String script(String proxyHost, int proxyPort) {
    String proxy = (proxyHost.contains(":") ? "[" + proxyHost + "]" : proxyHost) + ":" + proxyPort;
    return """
        // Plainsight: send every request through the teaching proxy.
        function FindProxyForURL(url, host) {
          return "PROXY %s; DIRECT";
        }
        """.formatted(proxy);
  }
}
