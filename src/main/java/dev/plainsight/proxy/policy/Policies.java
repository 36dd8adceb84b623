package dev.plainsight.proxy.policy;

import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.net.DestinationPolicy;
import dev.plainsight.net.Destinations;
import dev.plainsight.net.OwnAddresses;
import dev.plainsight.proxy.PlainsightProxy;
import dev.plainsight.tamper.TamperRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Plainsight's policies, assembled in one place ({@link #standard}), in three roles kept apart:
 *
 * <ol>
 *   <li><b>deciders</b> ({@link Decider}), asked in order about each request head before anything
 *       is forwarded: the client address policy, proxy authentication, the magic host,
 *       passthrough (tunnel or intercept); then, when the proxy is about to connect, the loop
 *       guard ({@link Destinations}: refuses this machine's own ports and addresses, resolves
 *       and pins the address);
 *   <li>the <b>modifier</b>: the tamper rules, applied to what a decider let through;
 *   <li>the <b>observer</b>: the flow recorder (capture), which sees what was forwarded and
 *       hands flows to the store and the live feed ({@link dev.plainsight.flow.FlowListener}).
 * </ol>
 *
 * The proxy's edge ({@code proxy.littleproxy}) only translates its library's callbacks into
 * calls on this object. Deciders may be added ({@link #with}) before the proxy starts.
 */
public final class Policies {
  private final List<Decider> deciders;
  private final DestinationPolicy loopGuard;
  private final Destinations destinations;
  private final TamperRules tamper;
  private final FlowRecorder recorder;

  public Policies(List<Decider> deciders, DestinationPolicy loopGuard, Destinations destinations,
      TamperRules tamper, FlowRecorder recorder) {
    this.deciders = List.copyOf(deciders);
    this.loopGuard = loopGuard;
    this.destinations = destinations;
    this.tamper = tamper;
    this.recorder = recorder;
  }

  /** The standard list, from the proxy's settings. */
  public static Policies standard(PlainsightProxy.Settings settings) {
    DestinationPolicy loopGuard = new DestinationPolicy(settings.ownPorts(),
        settings.portsOpenToRoom(), OwnAddresses.system());
    return new Policies(List.of(
        new ClientAddressPolicy(settings.allowPublicClients()),
        new ProxyAuthPolicy(settings.proxyAuth()),
        new MagicHost(settings.room()),
        new PassthroughDecider(settings.passthrough())),
        loopGuard, new Destinations(settings.staticHosts(), loopGuard),
        settings.tamperRules(), settings.recorder());
  }

  /** A copy with {@code decider} inserted before the passthrough decision (the last one). */
  public Policies with(Decider decider) {
    List<Decider> more = new ArrayList<>(deciders);
    more.add(Math.max(0, more.size() - 1), decider);
    return new Policies(more, loopGuard, destinations, tamper, recorder);
  }

  /**
   * Asks the deciders in order; the first final verdict wins. A decider that throws or returns
   * null breaks its contract: the request is refused naming it, never let through unchecked.
   */
  public Decision decide(Request request) {
    Verdict.Admit admitted = null;
    for (Decider decider : deciders) {
      Verdict verdict;
      try {
        verdict = decider.decide(request);
      } catch (RuntimeException bug) {
        return new Decision(new Verdict.Refuse("refused: the policy " + name(decider)
            + " failed (" + bug + ")"), admitted, name(decider));
      }
      if (verdict == null) {
        return new Decision(new Verdict.Refuse("refused: the policy " + name(decider)
            + " returned no verdict"), admitted, name(decider));
      }
      if (verdict instanceof Verdict.Admit admit) {
        admitted = admit;
      } else if (Verdict.isFinal(verdict)) {
        return new Decision(verdict, admitted, name(decider));
      }
    }
    return new Decision(Verdict.PASS, admitted, null);
  }

  private static String name(Decider decider) {
    return decider.getClass().getSimpleName();
  }

  public List<Decider> deciders() {
    return deciders;
  }

  /** The loop guard's resolving half: where the proxy may connect. */
  public Destinations destinations() {
    return destinations;
  }

  /** Refuses requests to this port on this machine (the proxy's own, the dashboard's). */
  public void protect(int port) {
    loopGuard.protect(port);
  }

  public TamperRules tamper() {
    return tamper;
  }

  public FlowRecorder recorder() {
    return recorder;
  }
}
