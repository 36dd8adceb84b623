package dev.plainsight.flow;

import java.time.Instant;

/**
 * One captured exchange or connection: an immutable record of what happened. The store assigns
 * {@code id}; everything else is set by the capture layer. {@code request}/{@code response} are
 * null where there was none (a tunnel, a refused handshake).
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
    WireObservations wire) {

  public Flow {
    wire = wire == null ? WireObservations.NONE : wire;
    timings = timings == null ? Timings.NONE : timings;
  }

  /** A flow without wire observations (imported, or from a store that does not keep them). */
  public Flow(long id, String session, FlowKind kind, Instant startedAt, String client,
      String method, String url, String host, int port, Integer status, long requestBytes,
      long responseBytes, long durationMs, String error, CapturedRequest request,
      CapturedResponse response, TlsSummary tls, Timings timings) {
    this(id, session, kind, startedAt, client, method, url, host, port, status, requestBytes,
        responseBytes, durationMs, error, request, response, tls, timings, WireObservations.NONE);
  }

  public Flow withId(long newId) {
    return new Flow(newId, session, kind, startedAt, client, method, url, host, port, status,
        requestBytes, responseBytes, durationMs, error, request, response, tls, timings, wire);
  }

  public Flow withSession(String newSession) {
    return new Flow(id, newSession, kind, startedAt, client, method, url, host, port, status,
        requestBytes, responseBytes, durationMs, error, request, response, tls, timings, wire);
  }
}
