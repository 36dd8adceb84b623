package dev.plainsight.proxy.policy;

import dev.plainsight.flow.Header;
import java.util.List;

/**
 * What a {@link Decider} says about one request. {@link Pass} and {@link Admit} let the next
 * decider speak; every other verdict ends the list. Immutable.
 */
public sealed interface Verdict {
  /** No opinion: the next decider speaks. */
  Pass PASS = new Pass();

  record Pass() implements Verdict {}

  /** The request may go on, on behalf of this participant (from proxy authentication). */
  record Admit(String participant) implements Verdict {}

  /** A 403 that says why; the proxy records it as an error flow. */
  record Refuse(String reason) implements Verdict {}

  /**
   * A 407 with a Basic challenge; {@code rejection} says why the credentials sent were refused,
   * null when none were sent (the normal first step of a browser).
   */
  record Challenge(String rejection) implements Verdict {}

  /** The proxy answers the request itself; the exchange is captured like any other. */
  record Answer(int status, String reason, List<Header> headers, byte[] body)
      implements Verdict {
    public Answer {
      headers = List.copyOf(headers);
    }
  }

  /** For a CONNECT: relay the bytes untouched (no decryption). */
  record Tunnel() implements Verdict {}

  /** For a CONNECT: decrypt and capture what passes (a forged certificate is shown). */
  record Intercept() implements Verdict {}

  /** The verdicts that end the list. */
  static boolean isFinal(Verdict verdict) {
    return !(verdict instanceof Pass) && !(verdict instanceof Admit);
  }

  /** All kinds, for documentation and exhaustive tests. */
  static List<Class<? extends Verdict>> kinds() {
    return List.of(Pass.class, Admit.class, Refuse.class, Challenge.class, Answer.class,
        Tunnel.class, Intercept.class);
  }
}
