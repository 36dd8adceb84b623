package dev.plainsight.flow;

import dev.plainsight.tls.TlsObservation;
import java.time.Instant;
import java.util.List;

/**
 * One client TCP connection to the proxy, as an immutable record: who opened it and when, the
 * CONNECT target if any, how Plainsight handled it, the proxy's DNS lookup and TCP connect to the
 * server, both TLS observations with their record ladders ({@code clientSide}: client–proxy,
 * {@code serverSide}: proxy–server, intercepted only), the TLS summary its flows show, the
 * upstream legs (one per server connection the proxy opened for it) and, once over, when and why
 * it closed. The facts every flow of the connection shares live here once; a flow refers to it by
 * {@link Flow#connection()}. Ids are unique in a store and handed out when the connection opens,
 * so a record is first written while still open ({@code closedAt} null) and replaced at its close.
 * {@code session} is the session of its flows (the store's, set when recorded).
 * {@code flowsNotStored} counts flows of the connection the store could not keep (dropped when its
 * queue was full, or capture paused): its bytes then carry exchanges no flow shows.
 */
public record Connection(
    long id,
    String session,
    String clientAddress,
    int clientPort,
    Instant openedAt,
    String connectTarget,
    Handling handling,
    DnsLookup dns,
    Long connectMs,
    TlsSummary tls,
    TlsObservation clientSide,
    TlsObservation serverSide,
    List<Leg> upstream,
    Instant closedAt,
    String closeReason,
    int flowsNotStored) {

  /** What Plainsight did with the connection. */
  public enum Handling {
    /** Plain HTTP requests forwarded (or none seen yet). */
    PLAIN,
    /** A CONNECT passed through as opaque bytes. */
    TUNNEL,
    /** A CONNECT whose TLS Plainsight terminated and decrypted. */
    INTERCEPTED,
    /** A CONNECT to intercept whose client did not accept Plainsight's certificate. */
    REFUSED,
    /** A CONNECT the proxy answered itself (refused by policy, the server unreachable). */
    ANSWERED
  }

  /**
   * One TCP connection from Plainsight to a server on the client connection's behalf: the
   * server's address and port, Plainsight's local port (null: not known), when it was opened, how
   * long the connect took and, once over, when and why it closed ("the server closed it",
   * "Plainsight closed it", …; null while open or not known).
   */
  public record Leg(String serverAddress, int serverPort, Integer localPort, Instant openedAt,
      Long connectMs, Instant closedAt, String closeReason) {

    public Leg closed(Instant at, String reason) {
      return new Leg(serverAddress, serverPort, localPort, openedAt, connectMs, at, reason);
    }
  }

  public Connection {
    upstream = upstream == null ? List.of() : List.copyOf(upstream);
    handling = handling == null ? Handling.PLAIN : handling;
  }

  public Connection withSession(String newSession) {
    return new Connection(id, newSession, clientAddress, clientPort, openedAt, connectTarget,
        handling, dns, connectMs, tls, clientSide, serverSide, upstream, closedAt, closeReason,
        flowsNotStored);
  }

  /**
   * A connection known only from one of its flows (an imported flow): the flow's client, start,
   * target and wire observations.
   */
  public static Connection ofFlow(long id, Flow flow) {
    boolean connect = "CONNECT".equals(flow.method()) || flow.kind() == FlowKind.HTTPS_DECRYPTED
        || flow.kind() == FlowKind.HTTPS_TUNNEL || flow.kind() == FlowKind.HTTPS_REJECTED;
    Handling handling = switch (flow.kind()) {
      case HTTPS_DECRYPTED -> Handling.INTERCEPTED;
      case HTTPS_TUNNEL -> Handling.TUNNEL;
      case HTTPS_REJECTED -> Handling.REFUSED;
      default -> connect ? Handling.ANSWERED : Handling.PLAIN;
    };
    return new Connection(id, flow.session(), flow.client(), 0, flow.startedAt(),
        connect && flow.host() != null ? flow.host() + ":" + flow.port() : null, handling,
        flow.wire().dns(), flow.timings().connectMs(), flow.tls(), flow.wire().clientSide(),
        flow.wire().serverSide(), List.of(), null, null, 0);
  }
}
