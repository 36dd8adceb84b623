package dev.plainsight.lesson;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.TlsSummary;
import dev.plainsight.tls.ClientHello;
import dev.plainsight.tls.ServerHello;
import dev.plainsight.tls.TlsObservation;

/**
 * The parts of a flow a lesson is told from, and what follows from them: whether TLS was used,
 * whether Plainsight terminated it, at which step the flow failed, whether it reused a connection.
 * Failures are read from the reasons Plainsight itself writes into error flows.
 */
final class Facts {
  /** The proxy's upstream connect timeout (PlainsightProxy: withConnectTimeout). */
  static final long CONNECT_TIMEOUT_MS = 10_000;

  /** Where a flow stopped. */
  enum Failure {
    NONE, REFUSED, DNS, TCP, UPSTREAM_TLS, REQUEST_HEAD, NOT_FORWARDED, EXCHANGE;

    /** The proxy never tried to reach the server. */
    boolean beforeUpstream() {
      return this == REQUEST_HEAD || this == NOT_FORWARDED;
    }
  }

  final Flow flow;
  final TlsObservation clientSide;
  final TlsObservation serverSide;
  private final Failure failure;

  Facts(Flow flow) {
    this.flow = flow;
    this.clientSide = flow.wire().clientSide();
    this.serverSide = flow.wire().serverSide();
    this.failure = classify(flow);
  }

  private static Failure classify(Flow flow) {
    if (flow.kind() == FlowKind.HTTPS_REJECTED) {
      return Failure.REFUSED;
    }
    if (flow.kind() != FlowKind.ERROR) {
      return Failure.NONE;
    }
    String error = flow.error() == null ? "" : flow.error();
    if (error.startsWith("DNS lookup failed")) {
      return Failure.DNS;
    }
    if (error.startsWith("request head not complete")) {
      return Failure.REQUEST_HEAD;
    }
    if (error.startsWith("could not connect to")) {
      return Failure.TCP;
    }
    if (error.startsWith("refused: ") || error.startsWith("bad CONNECT target")
        || error.startsWith("bad request")) {
      return Failure.NOT_FORWARDED;
    }
    if ("CONNECT".equals(flow.method()) && flow.url() == null && flow.tls() == null
        && flow.wire().dns() != null) {
      return Failure.UPSTREAM_TLS;
    }
    return Failure.EXCHANGE;
  }

  Failure failure() {
    return failure;
  }

  boolean usesTls() {
    return flow.kind() == FlowKind.HTTPS_DECRYPTED || flow.kind() == FlowKind.HTTPS_TUNNEL
        || flow.kind() == FlowKind.HTTPS_REJECTED || failure == Failure.UPSTREAM_TLS
        || clientSide != null && clientSide.clientHello() != null
        || flow.url() != null && flow.url().startsWith("https://");
  }

  boolean tunnel() {
    return flow.kind() == FlowKind.HTTPS_TUNNEL;
  }

  /** Plainsight terminated the client's TLS (decrypted, refused, or an exchange inside one). */
  boolean intercepted() {
    return flow.kind() == FlowKind.HTTPS_DECRYPTED || flow.kind() == FlowKind.HTTPS_REJECTED
        || flow.kind() == FlowKind.ERROR && flow.url() != null && flow.url().startsWith("https://");
  }

  /** The magic host {@code http://plainsight/}: no server behind it. */
  boolean proxyAnsweredItself() {
    return flow.url() != null && flow.url().toLowerCase(java.util.Locale.ROOT)
        .matches("http://plainsight(:80)?(/.*)?");
  }

  /**
   * The exchange went out on a connection opened before it: a request was forwarded with no TCP
   * connect of its own (a tunnel or a refusal is a connection of its own, never reused).
   */
  boolean reused() {
    return flow.request() != null && flow.timings().connectMs() == null
        && (failure == Failure.NONE || failure == Failure.EXCHANGE)
        && flow.kind() != FlowKind.HTTPS_TUNNEL && !proxyAnsweredItself()
        && (flow.kind() != FlowKind.HTTP || flow.wire().dns() == null);
  }

  /**
   * The TLS steps happened on the connection before this flow: a decrypted flow that was not its
   * connection's first, or an exchange that failed inside an intercepted connection (its request
   * came inside a TLS connection already up; the error flow does not carry its records).
   */
  boolean handshakeReused() {
    return intercepted() && (reused() || failedInsideTls());
  }

  /** An exchange that failed inside an intercepted connection, recorded without its wire. */
  boolean failedInsideTls() {
    return flow.kind() == FlowKind.ERROR && intercepted() && flow.request() != null
        && clientSide == null;
  }

  boolean tls13() {
    ServerHello hello = clientSide != null && clientSide.serverHello() != null
        ? clientSide.serverHello() : realServerHello();
    return hello != null && hello.isTls13();
  }

  TlsSummary tls() {
    return flow.tls();
  }

  /** The hello the real server answered with: upstream when intercepted, else the client's. */
  ServerHello realServerHello() {
    TlsObservation real = serverSide != null ? serverSide : clientSide;
    return real == null ? null : real.serverHello();
  }

  /** The hello the client got: from Plainsight when intercepted, from the server otherwise. */
  ServerHello clientServerHello() {
    return clientSide == null ? null : clientSide.serverHello();
  }

  ClientHello clientHello() {
    return clientSide == null ? null : clientSide.clientHello();
  }

  String error() {
    return flow.error() == null ? "" : flow.error();
  }
}
