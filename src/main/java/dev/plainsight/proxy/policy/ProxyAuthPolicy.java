package dev.plainsight.proxy.policy;

import dev.plainsight.capture.ProxyAuth;

/**
 * Proxy authentication ({@code --proxy-auth}) as a decider: a CONNECT or a plain request must
 * carry good credentials ({@link Verdict.Admit} names the participant), otherwise a 407
 * ({@link Verdict.Challenge}). Requests inside a CONNECT pass: the CONNECT carried the credentials
 * (a browser never repeats them inside a tunnel). A plain request for the {@link MagicHost} passes
 * without credentials: it serves only public things (the CA certificate, the PAC file), which a
 * participant needs before anything else. With authentication off, every request passes.
 */
public final class ProxyAuthPolicy implements Decider {
  private final ProxyAuth auth;

  public ProxyAuthPolicy(ProxyAuth auth) {
    this.auth = auth;
  }

  @Override
  public Verdict decide(Request request) {
    if (request.kind().insideConnect()) {
      return Verdict.PASS;
    }
    ProxyAuth.Outcome outcome = auth.check(request.proxyAuthorization());
    if (outcome instanceof ProxyAuth.Accepted accepted) {
      return new Verdict.Admit(accepted.participant());
    }
    if (request.kind() == Request.Kind.PLAIN && MagicHost.isFor(request.host())) {
      return Verdict.PASS;
    }
    return new Verdict.Challenge(
        outcome instanceof ProxyAuth.Rejected rejected ? rejected.reason() : null);
  }
}
