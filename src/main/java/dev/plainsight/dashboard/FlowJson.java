package dev.plainsight.dashboard;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.CapturedResponse;
import dev.plainsight.flow.CertificateSummary;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.Modification;
import dev.plainsight.replay.Replayer;
import dev.plainsight.flow.Timings;
import dev.plainsight.flow.TlsSummary;
import dev.plainsight.flow.WebSocketMessage;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.lesson.Lesson;
import dev.plainsight.lesson.LessonStep;
import dev.plainsight.lesson.Refusal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mapping from a {@link Flow} to the JSON the API and the live feed serve (SPEC.md): a
 * summary for lists, and the whole flow for the detail view. Bodies are not inlined; the detail
 * gives their size and the route to fetch them. WebSocket messages are inlined (their payloads
 * are bounded): text as {@code text}, close frames as {@code closeCode} and {@code text} (the
 * reason), everything else as {@code base64}.
 */
public final class FlowJson {
  private FlowJson() {}

  public static Map<String, Object> summary(Flow flow) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", flow.id());
    json.put("session", flow.session());
    json.put("kind", flow.kind().wire());
    json.put("startedAt", flow.startedAt().toString());
    json.put("client", flow.client());
    json.put("participant", flow.participant());
    json.put("method", flow.method());
    json.put("url", flow.url());
    json.put("host", flow.host());
    json.put("port", flow.port());
    json.put("status", flow.status());
    json.put("requestBytes", flow.requestBytes());
    json.put("responseBytes", flow.responseBytes());
    json.put("durationMs", flow.durationMs());
    if (flow.tls() != null) {
      json.put("tls", tlsSummary(flow.tls()));
    }
    if (flow.error() != null) {
      json.put("error", flow.error());
    }
    Refusal.of(flow).ifPresent(refusal -> json.put("refusal", refusal(refusal)));
    if (flow.modifications().stream().anyMatch(Modification::changed)) {
      json.put("modified", true);
    }
    if (isWebSocket(flow)) {
      json.put("messageCount", messageCount(flow));
    }
    return json;
  }

  /** An upgraded WebSocket flow (101 Switching Protocols), or one with messages. */
  public static boolean isWebSocket(Flow flow) {
    return !flow.messages().isEmpty()
        || flow.status() != null && flow.status() == 101 && flow.response() != null
        && flow.response().headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Upgrade")
            && h.value().equalsIgnoreCase("websocket"));
  }

  private static long messageCount(Flow flow) {
    long count = 0;
    for (WebSocketMessage message : flow.messages()) {
      count += message.standsForOmitted() ? message.size() : 1;
    }
    return count;
  }

  public static Map<String, Object> detail(Flow flow) {
    Map<String, Object> json = summary(flow);
    json.put("request", request(flow));
    json.put("response", response(flow));
    if (flow.tls() != null) {
      Map<String, Object> tls = tlsDetail(flow.tls());
      tls.putAll(HelloRoutes.fingerprints(flow));
      json.put("tls", tls);
    }
    json.put("timings", timings(flow.timings()));
    json.put("wire", wire(flow.wire()));
    json.put("lesson", Lesson.of(flow).stream().map(FlowJson::step).toList());
    json.put("modifications", flow.modifications().stream().map(FlowJson::modification).toList());
    Replayer.replayOf(flow).ifPresent(original -> json.put("replayOf", original));
    if (isWebSocket(flow)) {
      json.put("messages", flow.messages().stream().filter(m -> !m.standsForOmitted())
          .map(FlowJson::message).toList());
      json.put("messagesOmitted", flow.messages().stream()
          .filter(WebSocketMessage::standsForOmitted).mapToLong(WebSocketMessage::size).sum());
    }
    return json;
  }

  /**
   * A tamper rule's change. The flow's request and response are what was forwarded (after the
   * rules); {@code before} is what arrived at the proxy.
   */
  private static Map<String, Object> modification(Modification modification) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rule", modification.rule());
    json.put("part", modification.part());
    json.put("changed", modification.changed());
    json.put("before", modification.before());
    json.put("after", modification.after());
    json.put("note", modification.note());
    return json;
  }

  static Map<String, Object> message(WebSocketMessage message) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("at", message.at().toString());
    json.put("fromClient", message.fromClient());
    json.put("type", message.type());
    json.put("size", message.size());
    json.put("truncated", message.truncated());
    byte[] payload = message.payload();
    if (WebSocketMessage.TEXT.equals(message.type())) {
      json.put("text", new String(payload, StandardCharsets.UTF_8));
    } else if (WebSocketMessage.CLOSE.equals(message.type()) && payload.length >= 2) {
      json.put("closeCode", ByteBuffer.wrap(payload).getShort() & 0xffff);
      json.put("text", new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    } else {
      json.put("base64", Base64.getEncoder().encodeToString(payload));
    }
    return json;
  }

  private static Map<String, Object> wire(WireObservations wire) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dns", wire.dns());
    json.put("clientSide", wire.clientSide());
    json.put("serverSide", wire.serverSide());
    json.put("connectionOpenedBy", wire.connectionOpenedBy());
    json.put("upstreamProxy", wire.upstreamProxy());
    return json;
  }

  private static Map<String, Object> step(LessonStep step) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", step.id());
    json.put("title", step.title());
    json.put("state", step.state().wire());
    json.put("evidence", step.evidence());
    json.put("eavesdropper", view(step.eavesdropper()));
    json.put("proxy", view(step.proxy()));
    return json;
  }

  private static Map<String, Object> view(LessonStep.View view) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("state", view.state().wire());
    json.put("sees", view.sees());
    return json;
  }

  /** How a client refused the certificate: an alert (which, in clear or not) or a bare close. */
  private static Map<String, Object> refusal(Refusal refusal) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sentAlert", refusal.sentAlert());
    json.put("alert", refusal.alert());
    json.put("code", refusal.code());
    json.put("encrypted", refusal.sentAlert() ? refusal.encrypted() : null);
    json.put("clients", refusal.clients());
    json.put("userSees", refusal.userSees());
    json.put("sentence", refusal.sentence());
    return json;
  }

  private static Map<String, Object> tlsSummary(TlsSummary tls) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", tls.version());
    json.put("sni", tls.sni());
    json.put("cipher", tls.cipher());
    json.put("alpn", tls.alpn());
    if (tls.alert() != null) {
      json.put("alert", tls.alert());
    }
    return json;
  }

  private static Map<String, Object> tlsDetail(TlsSummary tls) {
    Map<String, Object> json = tlsSummary(tls);
    json.put("forgedLeaf", certificate(tls.forgedLeaf()));
    Map<String, Object> upstream = new LinkedHashMap<>();
    upstream.put("version", tls.upstreamVersion());
    upstream.put("cipher", tls.upstreamCipher());
    upstream.put("chain", tls.upstreamChain().stream().map(FlowJson::certificate).toList());
    json.put("upstream", upstream);
    return json;
  }

  private static Map<String, Object> certificate(CertificateSummary cert) {
    if (cert == null) {
      return null;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("subject", cert.subject());
    json.put("issuer", cert.issuer());
    json.put("subjectAltNames", cert.subjectAltNames());
    json.put("notBefore", cert.notBefore().toString());
    json.put("notAfter", cert.notAfter().toString());
    json.put("sha256", cert.sha256Fingerprint());
    return json;
  }

  private static Map<String, Object> request(Flow flow) {
    CapturedRequest request = flow.request();
    if (request == null) {
      return null;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("method", request.method());
    json.put("url", request.url());
    json.put("httpVersion", request.httpVersion());
    json.put("headers", headers(request.headers()));
    json.put("body", body(request.body(), "/api/flows/" + flow.id() + "/request/body"));
    return json;
  }

  private static Map<String, Object> response(Flow flow) {
    CapturedResponse response = flow.response();
    if (response == null) {
      return null;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", response.status());
    json.put("reason", response.reason());
    json.put("httpVersion", response.httpVersion());
    json.put("headers", headers(response.headers()));
    json.put("body", body(response.body(), "/api/flows/" + flow.id() + "/response/body"));
    return json;
  }

  private static List<Map<String, String>> headers(List<Header> headers) {
    return headers.stream().map(h -> {
      Map<String, String> json = new LinkedHashMap<>();
      json.put("name", h.name());
      json.put("value", h.value());
      return json;
    }).toList();
  }

  private static Map<String, Object> body(Body body, String route) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("size", body.size());
    json.put("captured", body.captured().length);
    json.put("truncated", body.truncated());
    json.put("href", route);
    return json;
  }

  private static Map<String, Object> timings(Timings timings) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dnsMs", timings.dnsMs());
    json.put("connectMs", timings.connectMs());
    json.put("tlsUpstreamMs", timings.tlsUpstreamMs());
    json.put("tlsClientMs", timings.tlsClientMs());
    json.put("waitMs", timings.waitMs());
    json.put("transferMs", timings.transferMs());
    return json;
  }
}
