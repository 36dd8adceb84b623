package dev.plainsight.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a parsed {@link Authority} into the one address the proxy will connect to, and checks it
 * against the {@link DestinationPolicy}. Fixed names (the demo site's workshop name) resolve to
 * their fixed address; numeric hosts and IPv6 literals are read as numbers ({@link NumericHost});
 * only other names are looked up in DNS, once. The caller hands the address it got to the
 * connection (so a second lookup can never answer differently: no DNS rebinding between check
 * and connect).
 */
public final class Destinations {
  /** What became of a target: an address to connect to, a refusal, or a failed lookup. */
  public sealed interface Resolution {}

  public record Reachable(InetSocketAddress address) implements Resolution {}

  /** {@code address}: what the target resolved to, which the policy refused. */
  public record Refused(String reason, InetAddress address) implements Resolution {}

  public record NotFound(String reason) implements Resolution {}

  private final Map<String, String> fixedNames;
  private final DestinationPolicy policy;

  public Destinations(Map<String, String> fixedNames, DestinationPolicy policy) {
    this.fixedNames = Map.copyOf(fixedNames);
    this.policy = policy;
  }

  public DestinationPolicy policy() {
    return policy;
  }

  /** Resolves {@code target} for {@code client} (null when unknown: treated as this machine). */
  public Resolution resolve(Authority target, InetAddress client) {
    InetAddress address;
    try {
      address = addressOf(target.host());
    } catch (UnknownHostException notFound) {
      return new NotFound("DNS lookup failed: no address found for " + target.host());
    }
    return policy.refusal(client, target.host(), address, target.port())
        .<Resolution>map(reason -> new Refused(reason, address))
        .orElseGet(() -> new Reachable(new InetSocketAddress(address, target.port())));
  }

  /**
   * For a route through an upstream proxy, where Plainsight does no DNS: the resolution of a
   * target that needs none (a fixed name, an address literal, {@code localhost} or a name under
   * {@code .localhost}, which RFC 6761 keeps off DNS), or empty for a name only DNS can answer.
   */
  public java.util.Optional<Resolution> resolveWithoutDns(Authority target, InetAddress client) {
    String host = target.host().toLowerCase(Locale.ROOT);
    boolean local = host.equals("localhost") || host.endsWith(".localhost");
    if (!local && !isFixedName(host) && host.indexOf(':') < 0
        && !NumericHost.parse(host).looksNumeric()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(resolve(local ? new Authority("localhost", target.port())
        : target, client));
  }

  /** A name Plainsight resolves itself to a fixed address (the demo site's workshop name). */
  public boolean isFixedName(String host) {
    return fixedNames.containsKey(host.toLowerCase(Locale.ROOT));
  }

  private InetAddress addressOf(String host) throws UnknownHostException {
    String fixed = fixedNames.get(host.toLowerCase(Locale.ROOT));
    String name = fixed != null ? fixed : host;
    if (name.indexOf(':') >= 0) {
      InetAddress v6 = NumericHost.parseIpv6(name);
      if (v6 == null) {
        throw new UnknownHostException(name);
      }
      return v6;
    }
    NumericHost numeric = NumericHost.parse(name.toLowerCase(Locale.ROOT));
    if (numeric.looksNumeric()) {
      if (numeric.address() == null) {
        throw new UnknownHostException(name);
      }
      return numeric.address();
    }
    return InetAddress.getByName(name);
  }
}
