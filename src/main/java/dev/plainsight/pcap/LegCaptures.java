package dev.plainsight.pcap;

import dev.plainsight.keylog.SecretLines;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the capture of a set of client connections: every leg of each, and (when asked) the key
 * log lines of every leg that began with a ClientHello whose secrets are known.
 */
public final class LegCaptures {
  private final LegIndex legs;
  private final SecretLines secrets;

  public LegCaptures(LegIndex legs, SecretLines secrets) {
    this.legs = legs;
    this.secrets = secrets;
  }

  public LegIndex index() {
    return legs;
  }

  public PacketCapture capture(Set<LegRecorder> clientLegs, boolean withSecrets, String comment) {
    List<TcpLeg> all = new ArrayList<>();
    StringBuilder keyLog = new StringBuilder();
    Set<String> seen = new LinkedHashSet<>();
    for (LegRecorder clientLeg : clientLegs) {
      all.addAll(legs.legsOf(clientLeg));
      List<LegRecorder> each = new ArrayList<>();
      each.add(clientLeg);
      each.addAll(clientLeg.upstream());
      for (LegRecorder leg : each) {
        String random = ClientHelloRandom.of(leg);
        if (random != null && seen.add(random)) {
          keyLog.append(secrets.linesFor(random));
        }
      }
    }
    return new PacketCapture(all, withSecrets ? keyLog.toString() : null, comment);
  }
}
