package dev.plainsight.flow;

import dev.plainsight.tls.TlsObservation;

/**
 * What the wire showed of a flow's connection, as a passive eavesdropper would see it: the proxy's
 * DNS lookup, the TLS records between client and proxy ({@code clientSide}), and, for intercepted
 * flows, between proxy and server ({@code serverSide}). Null parts did not happen. {@code
 * connectionOpenedBy} is the id of the flow that opened the connection this flow reused (null: it
 * opened its own, or which flow did is not known). {@code upstreamProxy}: the {@code host:port}
 * of the proxy ({@code --upstream-proxy}) that Plainsight's connection went through, which then
 * resolved the name and connected to the server itself (null: Plainsight connected directly).
 */
public record WireObservations(DnsLookup dns, TlsObservation clientSide, TlsObservation serverSide,
    Long connectionOpenedBy, String upstreamProxy) {
  public static final WireObservations NONE = new WireObservations(null, null, null);

  public WireObservations(DnsLookup dns, TlsObservation clientSide, TlsObservation serverSide) {
    this(dns, clientSide, serverSide, null, null);
  }

  public WireObservations(DnsLookup dns, TlsObservation clientSide, TlsObservation serverSide,
      Long connectionOpenedBy) {
    this(dns, clientSide, serverSide, connectionOpenedBy, null);
  }

  public WireObservations withConnectionOpenedBy(Long flowId) {
    return new WireObservations(dns, clientSide, serverSide, flowId, upstreamProxy);
  }

  public WireObservations withUpstreamProxy(String hostPort) {
    return new WireObservations(dns, clientSide, serverSide, connectionOpenedBy, hostPort);
  }
}
