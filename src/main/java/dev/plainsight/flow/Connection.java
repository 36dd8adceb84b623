package dev.plainsight.flow;

import dev.plainsight.tls.TlsObservation;
import java.time.Instant;
import java.util.List;

/**
 * One client connection, as its flows tell it: its id, the client's address, when it opened (its
 * first flow's start), the CONNECT target if any ({@code host:port}), how the proxy handled it,
 * the proxy's DNS lookup to the server, and the TLS observations client–proxy and proxy–server
 * with their record ladders (the latest any of its flows saw), and the ids of its flows, oldest
 * first. {@link #of} builds it from the flows; it holds nothing they do not.
 */
public record Connection(
    long id,
    String client,
    Instant openedAt,
    String connectTarget,
    ConnectionHandling handling,
    DnsLookup dns,
    TlsObservation clientSide,
    TlsObservation serverSide,
    List<Long> flows) {

  public Connection {
    flows = flows == null ? List.of() : List.copyOf(flows);
  }

  /** The connection {@code id} from its flows (oldest first); null when there are none. */
  public static Connection of(long id, List<Flow> flows) {
    if (flows.isEmpty()) {
      return null;
    }
    Flow first = flows.get(0);
    String target = null;
    DnsLookup dns = null;
    TlsObservation client = null;
    TlsObservation server = null;
    for (Flow flow : flows) {
      if (target == null && (isConnect(flow) || flow.kind() == FlowKind.HTTPS_DECRYPTED)) {
        target = flow.host() + ":" + flow.port();
      }
      dns = dns == null ? flow.wire().dns() : dns;
      client = flow.wire().clientSide() == null ? client : flow.wire().clientSide();
      server = flow.wire().serverSide() == null ? server : flow.wire().serverSide();
    }
    return new Connection(id, first.client(), first.startedAt(), target, handling(flows), dns,
        client, server, flows.stream().map(Flow::id).toList());
  }

  private static ConnectionHandling handling(List<Flow> flows) {
    boolean connect = false;
    for (Flow flow : flows) {
      switch (flow.kind()) {
        case HTTPS_DECRYPTED: return ConnectionHandling.INTERCEPTED;
        case HTTPS_TUNNEL: return ConnectionHandling.TUNNEL;
        case HTTPS_REJECTED: return ConnectionHandling.REFUSED;
        default: connect |= isConnect(flow);
      }
    }
    return connect ? ConnectionHandling.ANSWERED : ConnectionHandling.PLAIN;
  }

  private static boolean isConnect(Flow flow) {
    return "CONNECT".equalsIgnoreCase(flow.method());
  }
}
