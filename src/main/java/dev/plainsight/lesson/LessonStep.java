package dev.plainsight.lesson;

/**
 * One step of the story of a flow (DNS, TCP, TLS hello, certificate, key exchange, finished,
 * application data, HTTP): the evidence from this very flow, and the step as a passive
 * eavesdropper (no keys) and as the proxy each saw it. The eavesdropper's view never depends on
 * whether Plainsight decrypted: only on what crossed the wire.
 */
public record LessonStep(String id, String title, String evidence, View eavesdropper, View proxy) {

  /** One viewer's state of the step and what it saw of it. */
  public record View(StepState state, String sees) {}

  /** The same state and words in both views. */
  static LessonStep same(String id, String title, StepState state, String evidence, String sees) {
    View view = new View(state, sees);
    return new LessonStep(id, title, evidence, view, view);
  }

  static LessonStep of(String id, String title, String evidence, StepState eavesdropperState,
      String eavesdropperSees, StepState proxyState, String proxySees) {
    return new LessonStep(id, title, evidence, new View(eavesdropperState, eavesdropperSees),
        new View(proxyState, proxySees));
  }

  /** The proxy's state (the API's top-level {@code state}, kept for older readers). */
  public StepState state() {
    return proxy.state();
  }
}
