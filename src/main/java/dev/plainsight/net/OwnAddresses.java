package dev.plainsight.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The addresses of the machine Plainsight runs on: loopback (127/8, ::1), the "any" addresses
 * (0.0.0.0/8 and ::, which reach this machine when connected to), IPv4-mapped and -compatible
 * forms of those, and every address of its network interfaces (asked of the system at each
 * check, so an interface brought up later counts too). The one place that says
 * "this machine", for the proxy's destination policy and the dashboard's own host names.
 */
public final class OwnAddresses {
  private static final OwnAddresses SYSTEM = new OwnAddresses();

  private volatile Set<InetAddress> interfaces = Set.of();

  private OwnAddresses() {
    refresh();
  }

  public static OwnAddresses system() {
    return SYSTEM;
  }

  /** True when a connection to {@code address} would reach this machine. */
  public boolean isThisMachine(InetAddress address) {
    InetAddress plain = unwrap(address);
    if (plain.isLoopbackAddress() || plain.isAnyLocalAddress()) {
      return true;
    }
    if (plain instanceof Inet4Address && plain.getAddress()[0] == 0) {
      return true;
    }
    try {
      // asked of the system each time: an interface brought up a moment ago counts too
      return NetworkInterface.getByInetAddress(withoutScope(plain)) != null;
    } catch (SocketException unreadable) {
      return interfaces.contains(withoutScope(plain));
    }
  }

  /** Every interface address, loopback included (for the dashboard's own host names). */
  public List<InetAddress> interfaceAddresses() {
    refresh();
    return List.copyOf(interfaces);
  }

  /** The first private (site-local) IPv4 address of an interface that is up, not loopback. */
  public Optional<InetAddress> lanIpv4() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
            return Optional.of(address);
          }
        }
      }
    } catch (SocketException unreadable) {
      // no interfaces to look at
    }
    return Optional.empty();
  }

  private synchronized void refresh() {
    try {
      interfaces = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
          .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
          .map(OwnAddresses::withoutScope)
          .collect(Collectors.toUnmodifiableSet());
    } catch (SocketException unreadable) {
      // keep the last snapshot; loopback and "any" are recognised without it
    }
  }

  /** An IPv4-compatible IPv6 address (::a.b.c.d) as the IPv4 address it embeds. */
  static InetAddress unwrap(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      for (int i = 0; i < 12; i++) {
        if (b[i] != 0) {
          return address;
        }
      }
      if (b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1)) {
        return address; // :: and ::1 themselves
      }
      try {
        return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
      } catch (UnknownHostException impossible) {
        return address;
      }
    }
    return address;
  }

  private static InetAddress withoutScope(InetAddress address) {
    if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
      try {
        return InetAddress.getByAddress(v6.getAddress());
      } catch (UnknownHostException impossible) {
        return address;
      }
    }
    return address;
  }
}
