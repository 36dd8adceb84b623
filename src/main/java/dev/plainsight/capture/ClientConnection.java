package dev.plainsight.capture;

import dev.plainsight.flow.CertificateSummary;
import dev.plainsight.flow.Connection;
import dev.plainsight.flow.DnsLookup;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.TlsSummary;
import dev.plainsight.tls.AlertInfo;
import dev.plainsight.tls.Direction;
import dev.plainsight.tls.TlsObservation;
import dev.plainsight.tls.TlsObserver;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What Plainsight knows about one client TCP connection. Plain HTTP connections only use the
 * in-flight exchange; a CONNECT adds the target, the intercept decision, the TLS observations of
 * the raw bytes and the set-up timings. Calls arrive in this order: {@link #connect}, upstream
 * set-up events, {@link #upstreamTls} (intercepted only), client bytes, {@link
 * #clientHandshakeSucceeded} or a refusal, exchanges, and finally {@link #closed}, which says what
 * flow, if any, the connection itself leaves behind. Fields are touched from the client's and the
 * server's event loops, hence the synchronization.
 */
public final class ClientConnection {
  private final long id;
  private final String client;
  private final int clientPort;
  private final Instant openedAt = Instant.now();
  private final java.util.List<Connection.Leg> legs = new java.util.ArrayList<>();
  private boolean announced;
  private boolean answered;
  private Instant closedAt;
  private String closeReason;
  private int flowsNotStored;
  private final TlsObserver observer = new TlsObserver();
  private TlsObserver upstreamObserver;
  private DnsLookup dns;
  private String upstreamProxy;

  private String connectHost;
  private int connectPort;
  private boolean intercepted;
  private Instant connectAt;
  private long connectNanos;
  private long dnsStart;
  private long dnsEnd;
  private long tcpStart;
  private long tcpEnd;
  private long upstreamTlsEnd;
  private long clientTlsStart;
  private long clientTlsEnd;
  private String upstreamVersion;
  private String upstreamCipher;
  private List<CertificateSummary> upstreamChain = List.of();
  private TlsSummary clientTls;
  private String handshakeFailure;
  private Function<String, CertificateSummary> forgedLeafFor = host -> null;
  private boolean outcomeRecorded;
  private boolean setupHandedOut;
  private long bytesFromClient;
  private long bytesToClient;
  private ExchangeCapture inFlight;
  private String participant;
  private final java.util.Map<String, Long> openers = new java.util.HashMap<>();

  /** {@code id}: the store's id for this connection (0: none, its flows name no connection). */
  public ClientConnection(long id, String client, int clientPort) {
    this.id = id;
    this.client = client;
    this.clientPort = clientPort;
  }

  public String client() {
    return client;
  }

  /** The store's id of this connection, or null when it has none. */
  public Long id() {
    return id > 0 ? id : null;
  }

  /** The flow stamped with this connection's id. */
  public FlowBuilder stamp(FlowBuilder flow) {
    return flow.connection(id());
  }

  /** True the first time only: the caller then stores this connection's record. */
  synchronized boolean announce() {
    boolean first = !announced;
    announced = true;
    return first;
  }

  synchronized boolean announced() { return announced; }

  /**
   * The proxy opened a TCP connection to a server for this client connection: {@code server} is
   * the address connected to, {@code local} Plainsight's end (either may be null: not known).
   */
  public synchronized void upstreamOpened(io.netty.channel.Channel channel) {
    java.net.SocketAddress local = channel.localAddress();
    java.net.SocketAddress server = channel.remoteAddress();
    if (server instanceof java.net.InetSocketAddress s) {
      String address = s.getAddress() == null ? s.getHostString() : s.getAddress().getHostAddress();
      Integer localPort = local instanceof java.net.InetSocketAddress l ? l.getPort() : null;
      if (localPort != null && legs.stream().anyMatch(leg -> localPort.equals(leg.localPort()))) {
        return; // told again about the same server connection
      }
      legs.add(new Connection.Leg(address, s.getPort(), localPort, Instant.now(), null, null,
          null));
    }
  }

  /**
   * The server connection whose local port is {@code localPort} closed, for {@code reason}; true
   * when it was a leg of this connection still open, and the client connection is already
   * closed (its stored record then needs the leg's end too).
   */
  synchronized boolean upstreamClosed(int localPort, String reason) {
    for (int i = 0; i < legs.size(); i++) {
      Connection.Leg leg = legs.get(i);
      if (leg.localPort() != null && leg.localPort() == localPort && leg.closedAt() == null) {
        legs.set(i, leg.closed(Instant.now(), reason));
        return closedAt != null;
      }
    }
    return false;
  }

  /** One of this connection's flows could not be stored (the store dropped it). */
  synchronized void flowNotStored() {
    flowsNotStored++;
  }

  /** The connection is over; {@code reason} says why (e.g. "client closed"). */
  synchronized void closing(String reason) {
    closedAt = Instant.now();
    closeReason = reason;
  }

  /** This connection's record as it stands now. */
  public synchronized Connection snapshot() {
    boolean refused = connectHost != null && intercepted && clientTls == null
        && upstreamVersion != null && observer.snapshot().clientHello() != null;
    Connection.Handling handling = connectHost == null ? Connection.Handling.PLAIN
        : answered ? Connection.Handling.ANSWERED
        : !intercepted ? Connection.Handling.TUNNEL
        : refused && closedAt != null ? Connection.Handling.REFUSED
        : Connection.Handling.INTERCEPTED;
    TlsSummary tls = connectHost == null ? null
        : !intercepted ? (closedAt != null ? tunnelTls() : null)
        : clientTls != null ? clientTls
        : refused && closedAt != null ? refusal() : null;
    return new Connection(id, null, client, clientPort, openedAt,
        connectHost == null ? null : connectHost + ":" + connectPort, handling, dns,
        tcpEnd != 0 ? ExchangeCapture.millis(tcpStart, tcpEnd) : null, tls,
        connectHost == null ? null : observer.snapshot(),
        upstreamObserver == null ? null : upstreamObserver.snapshot(), legs, closedAt,
        closeReason, flowsNotStored);
  }

  /**
   * The participant the client authenticated as ({@code --proxy-auth}), or null. Set by the
   * CONNECT or by each plain request; requests inside an intercepted CONNECT and the flows the
   * connection itself leaves behind inherit it.
   */
  public synchronized String participant() { return participant; }
  public synchronized void participant(String value) { participant = value; }

  /**
   * A CONNECT arrived; {@code forgedLeafFor} names the leaf Plainsight shows for a host, so a
   * refusal can be shown beside the real certificate.
   */
  public synchronized void connect(String host, int port, boolean intercept,
      Function<String, CertificateSummary> forgedLeafFor) {
    this.forgedLeafFor = forgedLeafFor;
    connectHost = host;
    connectPort = port;
    intercepted = intercept;
    connectAt = Instant.now();
    connectNanos = System.nanoTime();
  }

  public synchronized boolean isConnect() { return connectHost != null; }
  public synchronized boolean intercepted() { return intercepted; }
  public synchronized String connectHost() { return connectHost; }
  public synchronized int connectPort() { return connectPort; }

  public synchronized void dnsStarted() { dnsStart = System.nanoTime(); }
  public synchronized void dnsDone(String name, String address) {
    dnsEnd = System.nanoTime();
    dns = new DnsLookup(name, address == null ? List.of() : List.of(address),
        ExchangeCapture.millis(dnsStart, dnsEnd));
  }
  public synchronized void tcpStarted() { tcpStart = System.nanoTime(); }
  public synchronized void tcpDone() { tcpEnd = System.nanoTime(); }
  /** The connection went through this upstream proxy ({@code host:port}), which did DNS and TCP. */
  public synchronized void viaUpstreamProxy(String hostPort) { upstreamProxy = hostPort; }

  /** The proxy's TLS connection to the real server is up (intercepted connections only). */
  public synchronized void upstreamTls(String version, String cipher, List<CertificateSummary> chain) {
    upstreamTlsEnd = System.nanoTime();
    upstreamVersion = version;
    upstreamCipher = cipher;
    upstreamChain = chain;
  }

  /** The observer of the proxy's own TLS records with the server (intercepted connections). */
  public synchronized void upstreamObserver(TlsObserver value) {
    upstreamObserver = value;
  }

  /** What the wire has shown of this connection so far. */
  public synchronized WireObservations wire() {
    return new WireObservations(dns, observer.snapshot(),
        upstreamObserver == null ? null : upstreamObserver.snapshot(), null, upstreamProxy);
  }

  public synchronized boolean upstreamTlsDone() {
    return upstreamVersion != null;
  }

  public synchronized void clientHandshakeStarted() {
    clientTlsStart = System.nanoTime();
  }

  public synchronized void clientHandshakeSucceeded(String version, String cipher, String alpn,
      CertificateSummary forgedLeaf) {
    clientTlsEnd = System.nanoTime();
    clientTls = new TlsSummary(version, sni(), cipher, alpn, null, forgedLeaf, upstreamVersion,
        upstreamCipher, upstreamChain);
  }

  /**
   * The client handshake failed; {@code reason} is the TLS engine's message. Under TLS 1.3 a
   * client that already has handshake keys sends its alert encrypted, so only the engine (which
   * holds those keys) can name it: "Received fatal alert: certificate_unknown".
   */
  public synchronized void clientHandshakeFailed(String reason) {
    handshakeFailure = reason;
  }

  /** TLS facts for a decrypted exchange on this connection. */
  public synchronized TlsSummary clientTls() {
    return clientTls;
  }

  /** Set-up timings, handed to the first exchange only (later ones reuse the connection). */
  public synchronized ConnectionSetup takeSetup() {
    if (setupHandedOut) {
      return new ConnectionSetup(null, null, null, null);
    }
    setupHandedOut = true;
    return new ConnectionSetup(
        dnsEnd != 0 ? ExchangeCapture.millis(dnsStart, dnsEnd) : null,
        tcpEnd != 0 ? ExchangeCapture.millis(tcpStart, tcpEnd) : null,
        upstreamTlsEnd != 0 && tcpEnd != 0 ? ExchangeCapture.millis(tcpEnd, upstreamTlsEnd) : null,
        clientTlsEnd != 0 ? ExchangeCapture.millis(clientTlsStart, clientTlsEnd) : null);
  }

  /** Raw bytes the client sent; read without moving the buffer's position. */
  public void bytesFromClient(ByteBuffer data) {
    synchronized (this) {
      bytesFromClient += data.remaining();
    }
    observer.onBytes(Direction.CLIENT_TO_SERVER, data, System.currentTimeMillis());
  }

  /** Raw bytes sent to the client; read without moving the buffer's position. */
  public void bytesToClient(ByteBuffer data) {
    synchronized (this) {
      bytesToClient += data.remaining();
    }
    observer.onBytes(Direction.SERVER_TO_CLIENT, data, System.currentTimeMillis());
  }

  public TlsObservation observation() {
    return observer.snapshot();
  }

  public synchronized void startExchange(ExchangeCapture exchange) {
    inFlight = exchange;
  }

  public synchronized void endExchange(ExchangeCapture exchange) {
    if (inFlight == exchange) {
      inFlight = null;
    }
  }

  /**
   * Before an exchange's flow is recorded: a flow whose request went out on a connection opened
   * earlier names the flow that opened it, when that flow was recorded ({@link #recorded}).
   */
  public synchronized FlowBuilder linkReuse(ExchangeCapture exchange, FlowBuilder flow) {
    Long opener = exchange.reusedConnection() ? openers.get(upstreamKey(exchange)) : null;
    stamp(flow);
    return opener == null ? flow : flow.wire(flow.wire().withConnectionOpenedBy(opener));
  }

  /** After an exchange's flow is recorded: remembers it if it opened its server connection. */
  public synchronized void recorded(ExchangeCapture exchange, dev.plainsight.flow.Flow flow) {
    if (flow != null && flow.id() > 0 && exchange.openedConnection()) {
      openers.put(upstreamKey(exchange), flow.id());
    }
  }

  /** Inside a CONNECT, one upstream connection; on plain HTTP, one per server. */
  private String upstreamKey(ExchangeCapture exchange) {
    return connectHost != null ? "connect" : exchange.host() + ":" + exchange.port();
  }

  /** An error flow for this connection was recorded already (e.g. the upstream failed). */
  public synchronized void outcomeRecorded() {
    outcomeRecorded = true;
    answered = connectHost != null && upstreamVersion == null;
  }

  /**
   * The client's connection closed: returns the flow it leaves behind, or null. An unfinished
   * exchange becomes an error keeping what arrived; a tunnel becomes its summary; an intercepted
   * connection whose client never finished the handshake is a refusal, or an error when the
   * client never sent a ClientHello (garbage or nothing).
   */
  public synchronized FlowBuilder closed() {
    if (inFlight != null && (inFlight.isFinished() || !inFlight.claim())) {
      inFlight = null;
    }
    if (inFlight != null && (inFlight.responseEndsAtClose() || inFlight.responseCompleteAtHead())) {
      boolean decrypted = connectHost != null && intercepted;
      FlowBuilder whole = inFlight.complete(decrypted ? FlowKind.HTTPS_DECRYPTED : FlowKind.HTTP)
          .tls(decrypted ? clientTls : null);
      if (connectHost != null) {
        whole.wire(wire());
      }
      inFlight = null;
      return stamp(whole);
    }
    if (inFlight != null) {
      FlowBuilder partial = inFlight.failed(inFlight.hasResponse()
          ? "client closed the connection before the response was complete"
          : "client closed the connection before the response arrived");
      inFlight = null;
      return stamp(partial);
    }
    if (connectHost == null || outcomeRecorded) {
      return null;
    }
    if (!intercepted) {
      return connectionFlow(FlowKind.HTTPS_TUNNEL, tunnelTls(), null);
    }
    if (clientTls == null && upstreamVersion != null && observer.snapshot().clientHello() == null) {
      return connectionFlow(FlowKind.ERROR, null, "the client sent no TLS ClientHello after its "
          + "CONNECT" + (handshakeFailure == null ? "" : " (" + handshakeFailure + ")"));
    }
    if (clientTls == null && upstreamVersion != null) {
      TlsSummary refused = refusal();
      return connectionFlow(FlowKind.HTTPS_REJECTED, refused,
          "the client did not accept Plainsight's certificate: " + refused.alert());
    }
    return null;
  }

  private FlowBuilder connectionFlow(FlowKind kind, TlsSummary tls, String error) {
    return new FlowBuilder()
        .connection(id())
        .kind(kind)
        .startedAt(connectAt)
        .client(client)
        .method("CONNECT")
        .url(null)
        .host(connectHost)
        .port(connectPort)
        .requestBytes(bytesFromClient)
        .responseBytes(bytesToClient)
        .durationMs(ExchangeCapture.millis(connectNanos, System.nanoTime()))
        .error(error)
        .tls(tls)
        .wire(wire())
        .participant(participant);
  }

  private TlsSummary tunnelTls() {
    TlsObservation seen = observer.snapshot();
    String version = seen.negotiatedVersionName();
    String cipher = seen.serverHello() == null ? null : seen.serverHello().cipherSuite();
    String alpn = seen.serverHello() == null ? null : seen.serverHello().alpn();
    return new TlsSummary(version, sni(), cipher, alpn, alertText(seen), null, null, null,
        seen.serverCertificates().stream().map(c -> new CertificateSummary(c.subject(),
            c.issuer(), c.subjectAltNames(), c.notBefore(), c.notAfter(), c.sha256Fingerprint()))
            .toList());
  }

  private TlsSummary refusal() {
    TlsObservation seen = observer.snapshot();
    String alert = alertText(seen);
    if (alert == null) {
      alert = EncryptedAlerts.describe(handshakeFailure).orElse("closed without alert");
    }
    String sni = sni();
    CertificateSummary shown = forgedLeafFor.apply(sni != null ? sni : connectHost);
    if (shown == null && sni != null) {
      shown = forgedLeafFor.apply(connectHost);
    }
    return new TlsSummary(seen.negotiatedVersionName(), sni, null, null, alert, shown,
        upstreamVersion, upstreamCipher, upstreamChain);
  }

  private static String alertText(TlsObservation seen) {
    AlertInfo alert = seen.firstClientAlert();
    return alert == null ? null : alert.name() + " (" + alert.code() + ")";
  }

  private String sni() {
    TlsObservation seen = observer.snapshot();
    return seen.clientHello() == null ? null : seen.clientHello().sni();
  }

}
