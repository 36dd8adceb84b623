package dev.plainsight.proxy.policy;

import dev.plainsight.capture.PassthroughPolicy;

/**
 * Tunnel or intercept, per CONNECT host ({@code --passthrough} globs, changeable while the proxy
 * runs): a matching host is tunnelled untouched, any other intercepted. Decides only CONNECTs, on
 * the CONNECT's host (the SNI is not known yet); a CONNECT whose target names no host is
 * intercepted (the edge then refuses the malformed target).
 */
public final class PassthroughDecider implements Decider {
  private final PassthroughPolicy passthrough;

  public PassthroughDecider(PassthroughPolicy passthrough) {
    this.passthrough = passthrough;
  }

  @Override
  public Verdict decide(Request request) {
    if (request.kind() != Request.Kind.CONNECT) {
      return Verdict.PASS;
    }
    return request.host() != null && passthrough.tunnels(request.host())
        ? new Verdict.Tunnel() : new Verdict.Intercept();
  }
}
