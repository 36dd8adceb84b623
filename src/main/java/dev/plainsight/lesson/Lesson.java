package dev.plainsight.lesson;

import static dev.plainsight.lesson.StepState.CLEAR;
import static dev.plainsight.lesson.StepState.DECRYPTED_BY_PROXY;
import static dev.plainsight.lesson.StepState.DID_NOT_HAPPEN;
import static dev.plainsight.lesson.StepState.ENCRYPTED;

import dev.plainsight.flow.DnsLookup;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.TlsSummary;
import dev.plainsight.tls.ClientHello;
import dev.plainsight.tls.RecordEntry;
import dev.plainsight.tls.ServerHello;
import dev.plainsight.tls.TlsObservation;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells a flow's story as ordered steps, each with its state on the wire and the evidence from
 * what was captured (TEACHING.md). Pure: the same flow always gives the same lesson.
 */
public final class Lesson {
  private Lesson() {}

  public static List<LessonStep> of(Flow flow) {
    Facts facts = new Facts(flow);
    List<LessonStep> steps = new ArrayList<>();
    steps.add(dns(facts));
    steps.add(tcp(facts));
    if (facts.usesTls()) {
      steps.add(TlsSteps.hello(facts));
      steps.add(TlsSteps.certificate(facts));
      steps.add(TlsSteps.keyExchange(facts));
      steps.add(TlsSteps.finished(facts));
      steps.add(TlsSteps.applicationData(facts));
    } else {
      String why = "plain HTTP: there is no TLS, nothing is sealed";
      steps.add(new LessonStep("tls-hello", "TLS hello", DID_NOT_HAPPEN, why, "-", "-"));
      steps.add(new LessonStep("certificate", "Certificate", DID_NOT_HAPPEN, why, "-", "-"));
      steps.add(new LessonStep("key-exchange", "Key exchange", DID_NOT_HAPPEN, why, "-", "-"));
      steps.add(new LessonStep("finished", "Finished", DID_NOT_HAPPEN, why, "-", "-"));
      steps.add(new LessonStep("application-data", "Encrypted data", DID_NOT_HAPPEN, why, "-", "-"));
    }
    steps.add(http(facts));
    return steps;
  }

  private static LessonStep dns(Facts facts) {
    DnsLookup dns = facts.flow.wire().dns();
    if (dns == null) {
      return new LessonStep("dns", "DNS lookup", DID_NOT_HAPPEN,
          facts.flow.kind() == FlowKind.ERROR && facts.error().contains("DNS")
              ? facts.error() : "no lookup on this flow (the connection was reused, or none was needed)",
          "-", "-");
    }
    String evidence = "the proxy looked up " + dns.name() + " → "
        + (dns.addresses().isEmpty() ? "?" : String.join(", ", dns.addresses()))
        + (dns.millis() == null ? "" : " in " + dns.millis() + " ms")
        + ". A browser's own lookup (UDP port 53) is in clear too.";
    return new LessonStep("dns", "DNS lookup", CLEAR, evidence,
        "the name asked and the answers", "the same");
  }

  private static LessonStep tcp(Facts facts) {
    Long connect = facts.flow.timings().connectMs();
    String evidence = "browser → proxy, then proxy → " + facts.flow.host() + ":" + facts.flow.port()
        + (connect == null ? " (an open connection was reused)" : " in " + connect + " ms (about one round trip)")
        + ". SYN, SYN-ACK, ACK carry addresses and ports, no content.";
    return new LessonStep("tcp", "TCP handshake", CLEAR, evidence,
        "addresses, ports, timing", "the same");
  }

  private static LessonStep http(Facts facts) {
    Flow flow = facts.flow;
    if (flow.request() == null) {
      String why = switch (flow.kind()) {
        case HTTPS_TUNNEL -> "sealed: the HTTP requests inside the tunnel are not visible, only their sizes and timing";
        case HTTPS_REJECTED -> "no request was ever sent: the client refused the certificate first";
        default -> "no HTTP exchange happened" + (flow.error() == null ? "" : ": " + flow.error());
      };
      StepState state = flow.kind() == FlowKind.HTTPS_TUNNEL ? ENCRYPTED : DID_NOT_HAPPEN;
      return new LessonStep("http", "HTTP", state, why,
          state == ENCRYPTED ? "record sizes and timing only" : "-",
          state == ENCRYPTED ? "the same: the proxy only passed the bytes on" : "-");
    }
    String line = flow.method() + " " + flow.url()
        + (flow.status() == null ? "" : " → " + flow.status());
    if (facts.usesTls()) {
      return new LessonStep("http", "HTTP", DECRYPTED_BY_PROXY,
          line + ": readable only because the client trusted Plainsight's CA",
          "nothing of it: only record sizes and timing",
          "everything: method, full URL, headers (cookies, authorization), bodies");
    }
    return new LessonStep("http", "HTTP", CLEAR, line
        + ": method, full URL, headers (cookies, authorization) and bodies are an open postcard, "
        + "and anyone on the path can also change them",
        "everything", "everything");
  }

  /** The parts of a flow the steps are told from. */
  static final class Facts {
    final Flow flow;
    final TlsObservation clientSide;
    final TlsObservation serverSide;

    Facts(Flow flow) {
      this.flow = flow;
      this.clientSide = flow.wire().clientSide();
      this.serverSide = flow.wire().serverSide();
    }

    boolean usesTls() {
      return flow.kind() == FlowKind.HTTPS_DECRYPTED || flow.kind() == FlowKind.HTTPS_TUNNEL
          || flow.kind() == FlowKind.HTTPS_REJECTED || clientSide != null;
    }

    boolean intercepted() {
      return flow.kind() == FlowKind.HTTPS_DECRYPTED || flow.kind() == FlowKind.HTTPS_REJECTED;
    }

    TlsSummary tls() {
      return flow.tls();
    }

    /** The hello the real server answered with: upstream when intercepted, else the client's. */
    ServerHello realServerHello() {
      TlsObservation real = serverSide != null ? serverSide : clientSide;
      return real == null ? null : real.serverHello();
    }

    ClientHello clientHello() {
      return clientSide == null ? null : clientSide.clientHello();
    }

    String error() {
      return flow.error() == null ? "" : flow.error();
    }

    static long bytes(TlsObservation seen, String contentType, boolean fromClient) {
      long total = 0;
      for (RecordEntry record : seen.ladder()) {
        if (record.contentType().equals(contentType)
            && (record.direction() == dev.plainsight.tls.Direction.CLIENT_TO_SERVER) == fromClient) {
          total += record.length();
        }
      }
      return total;
    }
  }
}
