package dev.plainsight.flow;

import java.time.Instant;
import java.util.List;

/**
 * One captured exchange or connection: an immutable record of what happened. The store assigns
 * {@code id}; everything else is set by the capture layer. {@code request}/{@code response} are
 * null where there was none (a tunnel, a refused handshake). {@code participant} is the proxy
 * user name a client gave (null without --proxy-auth); {@code messages} are WebSocket frames of
 * an upgraded flow; {@code modifications} are the changes tamper rules made (empty: untouched).
 */
public record Flow(
    long id,
    String session,
    FlowKind kind,
    Instant startedAt,
    String client,
    String method,
    String url,
    String host,
    int port,
    Integer status,
    long requestBytes,
    long responseBytes,
    long durationMs,
    String error,
    CapturedRequest request,
    CapturedResponse response,
    TlsSummary tls,
    Timings timings,
    WireObservations wire,
    String participant,
    List<WebSocketMessage> messages,
    List<Modification> modifications) {

  public Flow {
    wire = wire == null ? WireObservations.NONE : wire;
    timings = timings == null ? Timings.NONE : timings;
    messages = messages == null ? List.of() : List.copyOf(messages);
    modifications = modifications == null ? List.of() : List.copyOf(modifications);
  }

  /** A flow without wire observations (imported, or from a store that does not keep them). */
  public Flow(long id, String session, FlowKind kind, Instant startedAt, String client,
      String method, String url, String host, int port, Integer status, long requestBytes,
      long responseBytes, long durationMs, String error, CapturedRequest request,
      CapturedResponse response, TlsSummary tls, Timings timings) {
    this(id, session, kind, startedAt, client, method, url, host, port, status, requestBytes,
        responseBytes, durationMs, error, request, response, tls, timings, WireObservations.NONE,
        null, List.of(), List.of());
  }

  public Flow withId(long newId) {
    return new Flow(newId, session, kind, startedAt, client, method, url, host, port, status,
        requestBytes, responseBytes, durationMs, error, request, response, tls, timings, wire,
        participant, messages, modifications);
  }

  public Flow withSession(String newSession) {
    return new Flow(id, newSession, kind, startedAt, client, method, url, host, port, status,
        requestBytes, responseBytes, durationMs, error, request, response, tls, timings, wire,
        participant, messages, modifications);
  }

  /**
   * The same flow with no body bytes kept: sizes stay, each body is marked truncated. What the store
   * keeps when its queue has no room left for the bytes.
   */
  public Flow withoutBodyBytes() {
    CapturedRequest lighterRequest = request == null || request.body() == null ? request
        : request.withBody(new Body(new byte[0], request.body().size(), request.body().size() > 0));
    CapturedResponse lighterResponse = response == null || response.body() == null ? response
        : response.withBody(
            new Body(new byte[0], response.body().size(), response.body().size() > 0));
    return new Flow(id, session, kind, startedAt, client, method, url, host, port, status,
        requestBytes, responseBytes, durationMs, error, lighterRequest, lighterResponse, tls,
        timings, wire, participant, messages, modifications);
  }

  public Flow withMessages(List<WebSocketMessage> newMessages) {
    return new Flow(id, session, kind, startedAt, client, method, url, host, port, status,
        requestBytes, responseBytes, durationMs, error, request, response, tls, timings, wire,
        participant, newMessages, modifications);
  }
}
