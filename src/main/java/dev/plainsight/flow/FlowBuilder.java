package dev.plainsight.flow;

import java.time.Instant;
import java.util.List;

/** Collects a flow's fields as a capture goes on; {@link #build()} makes the immutable record. */
public final class FlowBuilder {
  private String session = "";
  private FlowKind kind = FlowKind.HTTP;
  private Instant startedAt = Instant.now();
  private String client = "";
  private String method;
  private String url;
  private String host;
  private int port;
  private Integer status;
  private long requestBytes;
  private long responseBytes;
  private long durationMs;
  private String error;
  private CapturedRequest request;
  private CapturedResponse response;
  private TlsSummary tls;
  private Timings timings = Timings.NONE;
  private WireObservations wire = WireObservations.NONE;
  private String participant;
  private List<Modification> modifications = List.of();

  public FlowBuilder kind(FlowKind value) { kind = value; return this; }
  public FlowBuilder session(String value) { session = value; return this; }
  public FlowBuilder startedAt(Instant value) { startedAt = value; return this; }
  public FlowBuilder client(String value) { client = value; return this; }
  public FlowBuilder method(String value) { method = value; return this; }
  public FlowBuilder url(String value) { url = value; return this; }
  public FlowBuilder host(String value) { host = value; return this; }
  public FlowBuilder port(int value) { port = value; return this; }
  public FlowBuilder status(Integer value) { status = value; return this; }
  public FlowBuilder requestBytes(long value) { requestBytes = value; return this; }
  public FlowBuilder responseBytes(long value) { responseBytes = value; return this; }
  public FlowBuilder durationMs(long value) { durationMs = value; return this; }
  public FlowBuilder error(String value) { error = value; return this; }
  public FlowBuilder request(CapturedRequest value) { request = value; return this; }
  public FlowBuilder response(CapturedResponse value) { response = value; return this; }
  public FlowBuilder tls(TlsSummary value) { tls = value; return this; }
  public FlowBuilder timings(Timings value) { timings = value; return this; }
  public FlowBuilder wire(WireObservations value) { wire = value; return this; }
  public FlowBuilder participant(String value) { participant = value; return this; }
  public FlowBuilder modifications(List<Modification> value) { modifications = value; return this; }

  public FlowKind kind() { return kind; }
  public WireObservations wire() { return wire; }

  public Flow build() {
    return new Flow(0, session, kind, startedAt, client, method, url, host, port, status,
        requestBytes, responseBytes, durationMs, error, request, response, tls, timings, wire,
        participant, List.of(), modifications);
  }
}
