package dev.plainsight.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import org.littleshoot.proxy.HostResolver;

/**
 * Resolves a few fixed names to fixed addresses (like /etc/hosts, for the demo site's public name)
 * and everything else through the system resolver.
 */
final class StaticHostsResolver implements HostResolver {
  private final Map<String, String> fixed;

  StaticHostsResolver(Map<String, String> fixed) {
    this.fixed = Map.copyOf(fixed);
  }

  @Override
  public InetSocketAddress resolve(String host, int port) throws UnknownHostException {
    String address = fixed.get(host.toLowerCase(Locale.ROOT));
    return new InetSocketAddress(InetAddress.getByName(address != null ? address : host), port);
  }
}
