package dev.plainsight.proxy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses requests whose target is Plainsight itself (its proxy or dashboard port on one of this
 * machine's addresses): a loop, or a way to reach the dashboard through the proxy. Only literal
 * addresses and "localhost" are compared, so no DNS lookup happens on the I/O thread.
 */
final class LoopGuard {
  private final Set<Integer> ownPorts = ConcurrentHashMap.newKeySet();
  private final Set<String> ownHosts = new HashSet<>();

  LoopGuard(Set<Integer> ownPorts) {
    this.ownPorts.addAll(ownPorts);
    ownHosts.add("localhost");
    ownHosts.add("0.0.0.0");
    ownHosts.add("::");
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          ownHosts.add(normalize(address.getHostAddress()));
        }
      }
    } catch (SocketException e) {
      ownHosts.add("127.0.0.1");
      ownHosts.add("0:0:0:0:0:0:0:1");
    }
  }

  /** Adds a port once it is known (the proxy's own, when it was asked to pick one). */
  void protect(int port) {
    ownPorts.add(port);
  }

  boolean targetsSelf(String host, int port) {
    if (!ownPorts.contains(port)) {
      return false;
    }
    String normalized = normalize(host);
    return ownHosts.contains(normalized) || normalized.startsWith("127.")
        || normalized.endsWith(".localhost");
  }

  private static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    int zone = lower.indexOf('%');
    if (zone >= 0) {
      lower = lower.substring(0, zone);
    }
    if (lower.startsWith("[") && lower.endsWith("]")) {
      lower = lower.substring(1, lower.length() - 1);
    }
    if (lower.equals("::1")) {
      return "0:0:0:0:0:0:0:1";
    }
    return lower;
  }
}
