package dev.plainsight.lesson;

import static dev.plainsight.lesson.StepState.CLEAR;
import static dev.plainsight.lesson.StepState.DECRYPTED_BY_PROXY;
import static dev.plainsight.lesson.StepState.DID_NOT_HAPPEN;
import static dev.plainsight.lesson.StepState.ENCRYPTED;
import static dev.plainsight.lesson.StepState.FAILED;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.lesson.Facts.Failure;

/** The HTTP step of a lesson: the request and response, as each viewer saw them. */
final class HttpStep {
  private static final String ID = "http";
  private static final String TITLE = "HTTP";

  private HttpStep() {}

  static LessonStep of(Facts facts) {
    Flow flow = facts.flow;
    Failure failure = facts.failure();
    boolean sealed = facts.usesTls();
    String eavesdropperOfSealed = "nothing of it: only record sizes and timing";
    if (flow.request() == null) {
      if (facts.tunnel()) {
        return LessonStep.same(ID, TITLE, ENCRYPTED, "sealed: the HTTP requests inside the tunnel "
            + "are not visible, only their sizes and timing", eavesdropperOfSealed);
      }
      if (failure == Failure.REFUSED) {
        return LessonStep.same(ID, TITLE, DID_NOT_HAPPEN,
            "no request was ever sent: the client refused the certificate first", "-");
      }
      if (failure == Failure.REQUEST_HEAD) {
        return LessonStep.of(ID, TITLE, "the client began a request and never finished its head: "
            + facts.error() + "; Plainsight answered 408 and closed",
            FAILED, sealed ? eavesdropperOfSealed : "the partial request, in clear",
            FAILED, "the partial request head");
      }
      return LessonStep.same(ID, TITLE, DID_NOT_HAPPEN,
          "no HTTP exchange happened" + (facts.error().isEmpty() ? "" : ": " + facts.error()), "-");
    }
    String line = flow.method() + " " + flow.url()
        + (flow.status() == null ? "" : " → " + flow.status());
    if (failure != Failure.NONE) {
      String where = switch (failure) {
        case DNS, TCP, NOT_FORWARDED -> "; the request never left the proxy";
        default -> "";
      };
      return LessonStep.of(ID, TITLE, line + ": failed: " + facts.error() + where,
          FAILED, sealed ? eavesdropperOfSealed : "the request (and the proxy's answer), in clear",
          FAILED, "the request" + (flow.response() == null ? "" : " and what arrived of the response"));
    }
    String webSocket = isWebSocket(flow) ? " The WebSocket messages that follow travel the same way." : "";
    if (sealed) {
      return LessonStep.of(ID, TITLE,
          line + ": readable only because the client trusted Plainsight's CA." + webSocket,
          ENCRYPTED, eavesdropperOfSealed,
          DECRYPTED_BY_PROXY, "everything: method, full URL, headers (cookies, authorization), bodies");
    }
    return LessonStep.same(ID, TITLE, CLEAR, line
        + ": method, full URL, headers (cookies, authorization) and bodies are an open postcard, "
        + "and anyone on the path can also change them." + webSocket, "everything");
  }

  private static boolean isWebSocket(Flow flow) {
    return flow.kind() != FlowKind.ERROR && flow.status() != null && flow.status() == 101;
  }
}
