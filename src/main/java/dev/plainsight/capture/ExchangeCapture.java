package dev.plainsight.capture;

import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.CapturedResponse;
import dev.plainsight.flow.DnsLookup;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.Modification;
import dev.plainsight.flow.Timings;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds the flow of one HTTP request/response exchange from events in the order they happen:
 * {@link #request}, request chunks, the proxy's own DNS/connect steps, {@link #response},
 * response chunks, then {@link #complete} or {@link #failed}. Times are {@code System.nanoTime()}.
 * Not thread-safe: one exchange lives on one connection's event loop.
 */
public final class ExchangeCapture {
  private final String client;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private final BoundedBody requestBody;
  private final BoundedBody responseBody;

  private String method;
  private String url;
  private String host;
  private int port;
  private String requestVersion;
  private List<Header> requestHeaders = List.of();
  private CapturedResponse responseHead;
  private long dnsStart;
  private long dnsEnd;
  private String upstreamProxy;
  private long connectStart;
  private long connectEnd;
  private volatile long requestSending;
  private volatile long requestSent;
  private long firstResponseByte;
  private ConnectionSetup setup;
  private String dnsAddress;
  private boolean finished;
  private volatile String participant;
  private final List<Modification> modifications = new ArrayList<>();
  private final AtomicBoolean claimed = new AtomicBoolean();

  public ExchangeCapture(String client, int bodyCaptureLimit) {
    this.client = client;
    this.requestBody = new BoundedBody(bodyCaptureLimit);
    this.responseBody = new BoundedBody(bodyCaptureLimit);
  }

  public void request(String method, String absoluteUrl, String host, int port, String version,
      List<Header> headers) {
    this.method = method;
    this.url = absoluteUrl;
    this.host = host;
    this.port = port;
    this.requestVersion = version;
    this.requestHeaders = headers;
    requestBody.expect(declaredLength(headers));
  }

  private static long declaredLength(List<Header> headers) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase("Content-Length")) {
        try {
          return Long.parseLong(header.value().trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** The participant the flow is tagged with ({@code --proxy-auth}; null without it). */
  public void participant(String value) {
    participant = value;
  }

  public void requestChunk(ByteBuf content) {
    requestBody.append(content);
  }

  public void dnsStarted() { dnsStart = System.nanoTime(); }
  public void dnsDone(String address) {
    dnsEnd = System.nanoTime();
    dnsAddress = address;
  }
  public void connectStarted() { connectStart = System.nanoTime(); }
  public void connectDone() { connectEnd = System.nanoTime(); }
  /** This exchange's new connection went through this upstream proxy ({@code host:port}). */
  public void viaUpstreamProxy(String hostPort) { upstreamProxy = hostPort; }
  /**
   * LittleProxy reports "sent" when the request's last chunk is written, which on a new
   * connection can come after the origin already answered; "sending" is the fallback.
   */
  public void requestSending() { requestSending = System.nanoTime(); }
  public void requestSent() { requestSent = System.nanoTime(); }

  /** Timings of the HTTPS connection this exchange was the first to use, if any. */
  public void connectionSetup(ConnectionSetup value) {
    setup = value;
  }

  public void response(int status, String reason, String version, List<Header> headers) {
    firstResponseByte = System.nanoTime();
    responseHead = new CapturedResponse(status, reason, version, headers, null);
    responseBody.expect(declaredLength(headers));
  }

  public void responseChunk(ByteBuf content) {
    responseBody.append(content);
  }

  /** A change (or a note of a change left undone) a tamper rule made to this exchange. */
  public void modified(Modification modification) {
    modifications.add(modification);
  }

  public boolean hasResponse() {
    return responseHead != null;
  }

  /**
   * True when the response has no length and is not chunked, so its body ends when the server
   * closes the connection (HTTP/1.0 style).
   */
  public boolean responseEndsAtClose() {
    if (responseHead == null) {
      return false;
    }
    int status = responseHead.status();
    if (status < 200 || status == 204 || status == 304 || "HEAD".equals(method)) {
      return false;
    }
    return responseHead.headers().stream().noneMatch(h ->
        h.name().equalsIgnoreCase("Content-Length")
            || (h.name().equalsIgnoreCase("Transfer-Encoding")
                && h.value().toLowerCase(java.util.Locale.ROOT).contains("chunked")));
  }

  public boolean isFinished() {
    return finished;
  }

  /**
   * True for the one caller that gets to record this exchange: the proxy's end of the response
   * (on the server's event loop) or the client's close (on the client's) may race.
   */
  public boolean claim() {
    return claimed.compareAndSet(false, true);
  }

  /**
   * True when the response head leaves no body to wait for (Content-Length: 0, 204, 304, HEAD):
   * the client may have it all, and close, before the proxy sees the end of the message.
   */
  public boolean responseCompleteAtHead() {
    if (responseHead == null) {
      return false;
    }
    int status = responseHead.status();
    return status == 204 || status == 304 || "HEAD".equals(method)
        || responseHead.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Content-Length")
            && h.value().trim().equals("0"));
  }

  /** This exchange opened the server connection (its own connect, or its connection's set-up). */
  public boolean openedConnection() {
    return connectStart != 0 || setup != null && setup.connectMs() != null;
  }

  /** The request went out on a connection opened before this exchange. */
  public boolean reusedConnection() {
    return !openedConnection() && dnsStart == 0 && requestSending != 0;
  }

  public String host() { return host; }
  public int port() { return port; }
  public String url() { return url; }

  /** The exchange ended normally: the last response byte has passed. */
  public FlowBuilder complete(FlowKind kind) {
    finished = true;
    return base(kind).status(responseHead.status())
        .response(responseHead.withBody(responseBody.toBody()));
  }

  /** The exchange ended without a whole response; whatever arrived is kept. */
  public FlowBuilder failed(String reason) {
    finished = true;
    FlowBuilder flow = base(FlowKind.ERROR).error(reason);
    if (responseHead != null) {
      flow.status(responseHead.status()).response(responseHead.withBody(responseBody.toBody()));
    }
    return flow;
  }

  private FlowBuilder base(FlowKind kind) {
    long end = System.nanoTime();
    return new FlowBuilder()
        .kind(kind)
        .startedAt(startedAt)
        .client(client)
        .participant(participant)
        .method(method)
        .url(url)
        .host(host)
        .port(port)
        .request(new CapturedRequest(method, url, requestVersion, requestHeaders,
            requestBody.toBody()))
        .requestBytes(requestBody.size())
        .responseBytes(responseBody.size())
        .durationMs(millis(startNanos, end))
        .timings(timings(end))
        .modifications(modifications)
        .wire((dnsEnd == 0 ? WireObservations.NONE : new WireObservations(
            new DnsLookup(host, dnsAddress == null ? List.of() : List.of(dnsAddress),
                millis(dnsStart, dnsEnd)), null, null)).withUpstreamProxy(upstreamProxy));
  }

  private Timings timings(long end) {
    long sent = requestSent != 0 && requestSent < firstResponseByte ? requestSent : requestSending;
    Long waitFrom = sent != 0 ? Long.valueOf(sent) : null;
    Long wait = firstResponseByte != 0 && waitFrom != null ? millis(waitFrom, firstResponseByte) : null;
    Long transfer = firstResponseByte != 0 ? millis(firstResponseByte, end) : null;
    if (setup != null) {
      return new Timings(setup.dnsMs(), setup.connectMs(), setup.tlsUpstreamMs(),
          setup.tlsClientMs(), wait, transfer);
    }
    return new Timings(
        dnsEnd != 0 ? millis(dnsStart, dnsEnd) : null,
        connectEnd != 0 ? millis(connectStart, connectEnd) : null,
        null, null, wait, transfer);
  }

  static long millis(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(Math.max(0, toNanos - fromNanos));
  }
}
