package dev.plainsight.proxy.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Who may use the proxy. By default only loopback and private-network clients (10/8, 172.16/12,
 * 192.168/16, fc00::/7, link-local): a proxy listening on 0.0.0.0 in a workshop must not become an
 * open proxy for the internet. {@code --allow-public} lifts the rule. The first decider of the
 * list: a refused client learns nothing else.
 */
public final class ClientAddressPolicy implements Decider {
  public static final String REFUSAL = "refused: Plainsight serves only clients on this machine or a "
      + "private network (start it with --allow-public to serve others)";

  private final boolean allowPublic;

  public ClientAddressPolicy(boolean allowPublic) {
    this.allowPublic = allowPublic;
  }

  /** Refuses a client outside the local networks (unless public clients are allowed). */
  @Override
  public Verdict decide(Request request) {
    if (allowPublic || request.client() != null && isLocalNetwork(request.client())) {
      return Verdict.PASS;
    }
    return new Verdict.Refuse(REFUSAL);
  }

  /** Whether a client at {@code remote} may use the proxy (for a path without the deciders). */
  public boolean allows(SocketAddress remote) {
    if (allowPublic) {
      return true;
    }
    if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return false;
    }
    return isLocalNetwork(inet.getAddress());
  }

  static boolean isLocalNetwork(InetAddress address) {
    if (address.isLoopbackAddress() || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()) {
      return true;
    }
    if (address instanceof Inet6Address v6) {
      byte[] bytes = v6.getAddress();
      boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc;
      return uniqueLocal || isMappedLocal(bytes);
    }
    return false;
  }

  private static boolean isMappedLocal(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return false;
      }
    }
    if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
      return false;
    }
    try {
      return isLocalNetwork(InetAddress.getByAddress(new byte[] {v6[12], v6[13], v6[14], v6[15]}));
    } catch (java.net.UnknownHostException impossible) {
      return false;
    }
  }
}
