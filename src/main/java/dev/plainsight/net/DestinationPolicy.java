package dev.plainsight.net;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the proxy may connect, decided on the resolved address (never on how the client spelled
 * the host): never to Plainsight itself (its proxy or dashboard port on any address of this
 * machine), and, for a client on another machine, never to this machine at all except the ports
 * opened to the room (the demo site's). A client on this machine may reach its own local
 * services (a trainer testing a local site). Pure: no sockets, no DNS.
 */
public final class DestinationPolicy {
  private final Set<Integer> plainsightPorts = ConcurrentHashMap.newKeySet();
  private final Set<Integer> portsOpenToRoom;
  private final OwnAddresses own;

  public DestinationPolicy(Set<Integer> plainsightPorts, Set<Integer> portsOpenToRoom,
      OwnAddresses own) {
    this.plainsightPorts.addAll(plainsightPorts);
    this.portsOpenToRoom = Set.copyOf(portsOpenToRoom);
    this.own = own;
  }

  /** Adds one of Plainsight's own ports once it is known (one picked by the OS). */
  public void protect(int port) {
    plainsightPorts.add(port);
  }

  /**
   * Why a connection from {@code client} to {@code target}:{@code port} is refused, or empty when
   * it is allowed. {@code named} is the host as the client gave it, for the reason's text.
   */
  public Optional<String> refusal(InetAddress client, String named, InetAddress target,
      int port) {
    if (!own.isThisMachine(target)) {
      return Optional.empty();
    }
    String where = describe(named, target) + ":" + port;
    if (plainsightPorts.contains(port)) {
      return Optional.of("refused: " + where + " is Plainsight itself (its proxy or dashboard), "
          + "which is never reachable through the proxy");
    }
    if (client != null && !own.isThisMachine(client) && !portsOpenToRoom.contains(port)) {
      return Optional.of("refused: " + where + " is on the machine running Plainsight, whose "
          + "own services clients on other machines may not reach through the proxy");
    }
    return Optional.empty();
  }

  private static String describe(String named, InetAddress target) {
    String address = target.getHostAddress();
    String bracketed = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    if (named == null || named.equalsIgnoreCase(address)) {
      return bracketed;
    }
    return named + " (" + bracketed + ")";
  }
}
