package dev.plainsight.lesson;

import static dev.plainsight.lesson.StepState.CLEAR;
import static dev.plainsight.lesson.StepState.DECRYPTED_BY_PROXY;
import static dev.plainsight.lesson.StepState.DID_NOT_HAPPEN;
import static dev.plainsight.lesson.StepState.ENCRYPTED;
import static dev.plainsight.lesson.StepState.FAILED;
import static dev.plainsight.lesson.StepState.REUSED;

import dev.plainsight.flow.DnsLookup;
import dev.plainsight.flow.Flow;
import dev.plainsight.lesson.Facts.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells a flow's story as ordered steps, each with the evidence from what was captured and its
 * state in the eavesdropper's and in the proxy's view (TEACHING.md, docs/LESSON.md). Pure: the
 * same flow always gives the same lesson. When the capture does not say, a step says less.
 */
public final class Lesson {
  /** Why a step is "reused": the flow that opened the connection, when it is known. */
  static String reusedConnection(Facts facts) {
    Long opener = facts.flow.wire().connectionOpenedBy();
    return "this flow reused an open connection opened by "
        + (opener == null ? "an earlier flow" : "flow #" + opener)
        + ": the step happened there, not here";
  }

  private Lesson() {}

  public static List<LessonStep> of(Flow flow) {
    Facts facts = new Facts(flow);
    List<LessonStep> steps = new ArrayList<>();
    steps.add(dns(facts));
    steps.add(tcp(facts));
    if (facts.usesTls()) {
      steps.add(TlsSteps.hello(facts));
      steps.add(TlsSteps.certificate(facts));
      steps.add(KeyExchangeStep.of(facts));
      steps.add(TlsSteps.finished(facts));
      steps.add(TlsSteps.applicationData(facts));
    } else {
      String why = "plain HTTP: there is no TLS, nothing is sealed";
      steps.add(LessonStep.same("tls-hello", "TLS hello", DID_NOT_HAPPEN, why, "-"));
      steps.add(LessonStep.same("certificate", "Certificate", DID_NOT_HAPPEN, why, "-"));
      steps.add(LessonStep.same("key-exchange", "Key exchange", DID_NOT_HAPPEN, why, "-"));
      steps.add(LessonStep.same("finished", "Finished", DID_NOT_HAPPEN, why, "-"));
      steps.add(LessonStep.same("application-data", "Encrypted data", DID_NOT_HAPPEN, why, "-"));
    }
    steps.add(HttpStep.of(facts));
    return steps;
  }

  private static LessonStep dns(Facts facts) {
    DnsLookup dns = facts.flow.wire().dns();
    Failure failure = facts.failure();
    if (failure == Failure.DNS) {
      return LessonStep.same("dns", "DNS lookup", FAILED, facts.error(),
          "the name asked, and that no address came back");
    }
    if (dns == null) {
      if (facts.failedInsideTls() && !facts.reused()) {
        return LessonStep.same("dns", "DNS lookup", CLEAR, "the proxy looked up " + facts.flow.host()
            + " when this connection was opened (the lookup is kept with the connection, not with "
            + "this error flow)", "the name asked and the answers");
      }
      if (facts.reused()) {
        return LessonStep.same("dns", "DNS lookup", REUSED, reusedConnection(facts), "nothing on this flow");
      }
      if (facts.error() != null && facts.error().contains(" through the upstream proxy ")) {
        return LessonStep.same("dns", "DNS lookup", DID_NOT_HAPPEN, "Plainsight did no lookup: "
            + "behind an upstream proxy the name is the upstream proxy's to resolve, and the "
            + "connection through it failed (see TCP)", "-");
      }
      String upstream = facts.flow.wire().upstreamProxy();
      if (upstream != null && failure != Failure.TCP) {
        return LessonStep.same("dns", "DNS lookup", CLEAR, "the upstream proxy " + upstream
            + " looked up " + facts.flow.host() + ", not Plainsight: Plainsight sent it the name "
            + "unresolved, in clear in its request line", "the name, in the request to the "
            + "upstream proxy (its own lookup is on its network)");
      }
      String why = facts.proxyAnsweredItself() ? "Plainsight answered this request itself"
          : failure.beforeUpstream() ? "the proxy never tried to reach the server: " + facts.error()
          : "no lookup on this flow: the target is an address, not a name";
      return LessonStep.same("dns", "DNS lookup", DID_NOT_HAPPEN, why, "-");
    }
    if (facts.reused()) {
      return LessonStep.same("dns", "DNS lookup", REUSED, reusedConnection(facts)
          + " (that connection's lookup: " + dns.name() + ")", "nothing on this flow");
    }
    String evidence = "the proxy looked up " + dns.name() + " → "
        + (dns.addresses().isEmpty() ? "?" : String.join(", ", dns.addresses()))
        + (dns.millis() == null ? "" : " in " + dns.millis() + " ms")
        + ". A browser's own lookup (UDP port 53) is in clear too.";
    return LessonStep.same("dns", "DNS lookup", CLEAR, evidence, "the name asked and the answers");
  }

  private static LessonStep tcp(Facts facts) {
    Flow flow = facts.flow;
    Failure failure = facts.failure();
    String target = flow.host() + ":" + flow.port();
    if (failure == Failure.TCP) {
      String why = flow.durationMs() >= Facts.CONNECT_TIMEOUT_MS - 500
          ? " after " + flow.durationMs() + " ms: the server never accepted the connection (the "
              + "proxy gives up after " + Facts.CONNECT_TIMEOUT_MS / 1000 + " s)"
          : " after " + flow.durationMs() + " ms";
      return LessonStep.same("tcp", "TCP handshake", FAILED, "the proxy's connection to " + target
          + " failed" + why + ": " + facts.error(), "the attempts (SYN) and the refusal or silence");
    }
    if (failure == Failure.DNS || failure.beforeUpstream() || facts.proxyAnsweredItself()) {
      String why = failure == Failure.DNS ? "no address to connect to: the DNS lookup failed"
          : facts.proxyAnsweredItself() ? "Plainsight answered this request itself"
          : "the proxy never tried to reach the server: " + facts.error();
      return LessonStep.same("tcp", "TCP handshake", DID_NOT_HAPPEN, "the client connected to the "
          + "proxy; " + why, "-");
    }
    if (facts.reused()) {
      return LessonStep.same("tcp", "TCP handshake", REUSED, reusedConnection(facts),
          "nothing new: the same connection, more bytes");
    }
    Long connect = flow.timings().connectMs();
    String upstream = flow.wire().upstreamProxy();
    if (upstream != null) {
      return LessonStep.same("tcp", "TCP handshake", CLEAR, "browser → proxy, then proxy → the "
          + "upstream proxy " + upstream + (connect == null ? "" : " in " + connect + " ms")
          + ", which connected to " + target + " itself. SYN, SYN-ACK, ACK carry addresses and "
          + "ports, no content.", "addresses and ports: Plainsight's are the upstream proxy's");
    }
    String evidence = "browser → proxy, then proxy → " + target
        + (connect == null ? "" : " in " + connect + " ms (about one round trip)")
        + ". SYN, SYN-ACK, ACK carry addresses and ports, no content.";
    return LessonStep.same("tcp", "TCP handshake", CLEAR, evidence, "addresses, ports, timing");
  }
}
