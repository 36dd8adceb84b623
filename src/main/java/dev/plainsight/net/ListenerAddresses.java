package dev.plainsight.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How people reach one of Plainsight's listeners. A listener bound to one address is reached at
 * that address; one bound to all ({@code 0.0.0.0}, {@code ::}) at this machine's interface
 * addresses, best first: not loopback before loopback, IPv4 before IPv6, no link-local (a
 * {@code 0.0.0.0} listener takes IPv4 only). The one place that turns a bind address into the
 * addresses to print, to put in a QR code, or to answer to (the dashboard's {@code Host} names).
 */
public final class ListenerAddresses {
  private ListenerAddresses() {}

  /** The addresses of this machine a client can use for {@code bound}, best first. */
  public static List<InetAddress> reachable(InetAddress bound) {
    return reachable(bound, OwnAddresses.system().interfaceAddresses());
  }

  /** The same for a given list of interface addresses (pure: for tests). */
  public static List<InetAddress> reachable(InetAddress bound, Collection<InetAddress> interfaces) {
    if (!bound.isAnyLocalAddress()) {
      return List.of(bound);
    }
    List<InetAddress> own = new ArrayList<>(interfaces);
    own.removeIf(a -> a.isLinkLocalAddress() || a.isAnyLocalAddress()
        || (bound instanceof Inet4Address && !(a instanceof Inet4Address)));
    own.sort(Comparator.comparing(InetAddress::isLoopbackAddress)
        .thenComparing(a -> !(a instanceof Inet4Address))
        .thenComparing(InetAddress::getHostAddress));
    return own.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : List.copyOf(own);
  }

  /** True when only this machine can reach {@code bound} (a loopback address). */
  public static boolean loopbackOnly(InetAddress bound) {
    return bound.isLoopbackAddress();
  }

  /** {@code host:port} as it goes into a URL: IPv6 in brackets, without a scope. */
  public static String authority(InetAddress address, int port) {
    return literal(address) + ":" + port;
  }

  /** The address as it goes into a URL's host: IPv6 in brackets, without a scope. */
  public static String literal(InetAddress address) {
    String host = address.getHostAddress().replaceFirst("%.*$", "");
    return address instanceof Inet6Address ? "[" + host + "]" : host;
  }

  /**
   * The host names a listener on {@code listenHost} answers to, as they appear in a URL (IPv6 in
   * brackets, lower case): loopback names always, and the listen address itself or, on all
   * addresses, every interface address.
   */
  public static Set<String> hostNames(String listenHost) {
    Set<String> hosts = new LinkedHashSet<>(List.of("127.0.0.1", "localhost", "[::1]"));
    if (listenHost.equals("0.0.0.0") || listenHost.equals("::")) {
      for (InetAddress address : OwnAddresses.system().interfaceAddresses()) {
        hosts.add(literal(address));
      }
    } else {
      String host = listenHost.toLowerCase(Locale.ROOT);
      hosts.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
    }
    return hosts;
  }
}
