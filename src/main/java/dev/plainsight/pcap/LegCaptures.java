package dev.plainsight.pcap;

import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.RawLegs;
import dev.plainsight.keylog.SecretLines;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the capture of a set of client connections, by their ids: every leg of each and (when
 * asked) the key log lines of every leg that began with a ClientHello whose secrets are known.
 * A connection's legs come from memory while the proxy holds them ({@link LegIndex}), else from
 * the store, where each client leg goes once it and its server legs have ended: encoded, with
 * its secrets, on the store's writer, so the proxy never waits and captures survive a restart.
 */
public final class LegCaptures {
  private final LegIndex legs;
  private final SecretLines secrets;
  private final FlowStore store;

  /** {@code store} null: captures live in memory only. */
  public LegCaptures(LegIndex legs, SecretLines secrets, FlowStore store) {
    this.legs = legs;
    this.secrets = secrets;
    this.store = store;
    if (store != null && legs.isOn()) {
      legs.whenEnded(this::keep);
    }
  }

  public LegIndex index() {
    return legs;
  }

  private void keep(LegRecorder clientLeg) {
    long id = clientLeg.connectionId();
    store.keepRawLegs(id, clientLeg.keptWithUpstream(),
        () -> new RawLegs(id, LegCodec.encode(legs.legsOf(clientLeg)), secretsOf(clientLeg)));
  }

  /** Whether any leg of the connection is kept, in memory or in the store. */
  public boolean has(long connectionId) {
    return legs.clientLegOf(connectionId) != null
        || store != null && store.rawLegs(connectionId).isPresent();
  }

  /** The capture of the connections (those with no kept leg are left out). */
  public PacketCapture capture(Collection<Long> connectionIds, boolean withSecrets,
      String comment) {
    List<TcpLeg> all = new ArrayList<>();
    StringBuilder keyLog = new StringBuilder();
    for (long id : new LinkedHashSet<>(connectionIds)) {
      LegRecorder clientLeg = legs.clientLegOf(id);
      if (clientLeg != null) {
        all.addAll(legs.legsOf(clientLeg));
        keyLog.append(secretsOf(clientLeg));
        continue;
      }
      Optional<RawLegs> stored = store == null ? Optional.empty() : store.rawLegs(id);
      if (stored.isPresent()) {
        all.addAll(LegCodec.decode(stored.get().legs()));
        keyLog.append(stored.get().secrets());
      }
    }
    return new PacketCapture(all, withSecrets ? keyLog.toString() : null, comment);
  }

  private String secretsOf(LegRecorder clientLeg) {
    StringBuilder lines = new StringBuilder();
    Set<String> seen = new LinkedHashSet<>();
    for (LegRecorder leg : withUpstream(clientLeg)) {
      String random = ClientHelloRandom.of(leg);
      if (random != null && seen.add(random)) {
        lines.append(secrets.linesFor(random));
      }
    }
    return lines.toString();
  }

  private static List<LegRecorder> withUpstream(LegRecorder clientLeg) {
    List<LegRecorder> each = new ArrayList<>();
    each.add(clientLeg);
    each.addAll(clientLeg.upstream());
    return each;
  }
}
