package dev.plainsight.flow;

import java.util.List;

/** The proxy's own DNS lookup for a flow: the name asked, the addresses found, how long it took. */
public record DnsLookup(String name, List<String> addresses, Long millis) {
  public DnsLookup {
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }
}
