package dev.plainsight.flow;

import dev.plainsight.tls.TlsObservation;

/**
 * What the wire showed of a flow's connection, as a passive eavesdropper would see it: the proxy's
 * DNS lookup, the TLS records between client and proxy ({@code clientSide}), and, for intercepted
 * flows, between proxy and server ({@code serverSide}). Null parts did not happen.
 */
public record WireObservations(DnsLookup dns, TlsObservation clientSide, TlsObservation serverSide) {
  public static final WireObservations NONE = new WireObservations(null, null, null);
}
