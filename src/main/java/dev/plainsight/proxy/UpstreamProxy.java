package dev.plainsight.proxy;

import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.net.Authority;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The proxy Plainsight's own upstream connections go through ({@code --upstream-proxy
 * http://HOST:PORT}), its optional Basic credentials ({@code user:password}, from the
 * environment) and the host globs connected to directly ({@code --upstream-proxy-bypass}).
 * {@link #parse} says what is wrong with a bad URL. {@link #toString} never shows the
 * credentials; {@link #authorization} is the header value, for the upstream proxy only.
 */
public final class UpstreamProxy {
  private final Authority address;
  private final String authorization;
  private final PassthroughPolicy bypass;

  private UpstreamProxy(Authority address, String authorization, List<String> bypass) {
    this.address = address;
    this.authorization = authorization;
    this.bypass = new PassthroughPolicy(bypass);
  }

  /**
   * {@code url}: {@code http://HOST:PORT} (the port is required);
   * {@code credentials}: {@code user:password} or null; {@code bypass}: host globs.
   */
  public static UpstreamProxy parse(String url, String credentials, List<String> bypass) {
    String shown = url.replaceFirst("//[^/]*@", "//…@");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (Exception e) {
      throw new IllegalArgumentException("--upstream-proxy " + shown + " is not a URL: give "
          + "http://HOST:PORT");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getRawAuthority() == null
        || uri.getRawUserInfo() != null || uri.getPort() < 0
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("--upstream-proxy " + shown + ": give http://HOST:PORT "
          + "(an HTTP proxy, with its port; credentials go in PLAINSIGHT_UPSTREAM_PROXY_AUTH, "
          + "never in the URL)");
    }
    Authority address;
    try {
      address = Authority.parse(uri.getRawAuthority(), -1);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--upstream-proxy " + shown + ": " + e.getMessage());
    }
    String header = null;
    if (credentials != null && !credentials.isEmpty()) {
      if (credentials.indexOf(':') < 1) {
        throw new IllegalArgumentException("PLAINSIGHT_UPSTREAM_PROXY_AUTH must be user:password");
      }
      header = "Basic " + Base64.getEncoder().encodeToString(
          credentials.getBytes(StandardCharsets.UTF_8));
    }
    return new UpstreamProxy(address, header, bypass == null ? List.of() : bypass);
  }

  /** Where to connect; resolved when LittleProxy connects (the room's own resolver). */
  public InetSocketAddress socketAddress() {
    return InetSocketAddress.createUnresolved(address.host(), address.port());
  }

  public String hostPort() {
    return address.hostPort();
  }

  /** The {@code Proxy-Authorization} value for the upstream proxy, or null. */
  public String authorization() {
    return authorization;
  }

  public boolean hasCredentials() {
    return authorization != null;
  }

  /** Whether Plainsight connects to {@code host} itself rather than through the upstream proxy. */
  public boolean bypasses(String host) {
    return bypass.tunnels(host.toLowerCase(Locale.ROOT));
  }

  public List<String> bypassGlobs() {
    return bypass.globs();
  }

  @Override
  public String toString() {
    return "http://" + hostPort() + (authorization == null ? "" : " (with credentials)");
  }
}
