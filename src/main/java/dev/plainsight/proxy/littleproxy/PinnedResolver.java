package dev.plainsight.proxy.littleproxy;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.littleshoot.proxy.HostResolver;

/**
 * LittleProxy's resolver, which refuses everything: Plainsight's filters resolve and check each
 * target themselves ({@link dev.plainsight.net.Destinations}) and hand LittleProxy the address
 * from {@code proxyToServerResolutionStarted}. LittleProxy asks this resolver only when a filter
 * handed it none (a refusal, a failed lookup, or a path that forgot to check), and then the
 * connection fails closed with LittleProxy's 502, which the filter explains.
 */
final class PinnedResolver implements HostResolver {
  @Override
  public InetSocketAddress resolve(String host, int port) throws UnknownHostException {
    throw new UnknownHostException(host + ": not resolved by Plainsight's destination check");
  }

  /** What a filter returns instead of an address when the connection must not be opened. */
  static InetSocketAddress refused() {
    return InetSocketAddress.createUnresolved("refused.invalid", 1);
  }
}
