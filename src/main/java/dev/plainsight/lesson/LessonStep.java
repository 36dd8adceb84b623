package dev.plainsight.lesson;

/**
 * One step of the story of a flow (DNS, TCP, TLS hello, certificate, key exchange, finished,
 * application data, HTTP): its state on the wire, the evidence from this very flow, and what a
 * passive eavesdropper and the proxy each saw of it.
 */
public record LessonStep(
    String id,
    String title,
    StepState state,
    String evidence,
    String eavesdropperSees,
    String proxySees) {}
