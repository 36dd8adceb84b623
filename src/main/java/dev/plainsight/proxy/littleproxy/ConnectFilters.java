package dev.plainsight.proxy.littleproxy;

import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.flow.CertificateSummary;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.net.Authority;
import dev.plainsight.net.Destinations;
import dev.plainsight.proxy.policy.Policies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.function.Function;
import org.littleshoot.proxy.HttpFiltersAdapter;

/**
 * LittleProxy's callbacks for a CONNECT: decides tunnel or intercept, puts a {@link RawTap} on the
 * client channel, times the upstream set-up and records an error flow when the upstream cannot be
 * reached or verified. A 502 that LittleProxy writes because the <em>client</em> refused the
 * forged certificate is dropped: the TLS stream is already running, and the connection's close
 * records the refusal. A CONNECT to a target that speaks plain HTTP ({@link PlainOrigins}: how
 * browsers open {@code ws://} through a proxy) is answered 200 by the proxy itself, and what
 * follows on the connection is proxied as plain HTTP to that target ({@link #PLAIN_TARGET} on the
 * channel; {@link ExchangeFilters} completes the requests' URLs), no tunnel flow of its own.
 */
final class ConnectFilters extends HttpFiltersAdapter {
  static final String TAP_NAME = "plainsight-tap";
  /** On a client channel whose CONNECT was answered as plain HTTP: the CONNECT's target. */
  static final AttributeKey<Authority> PLAIN_TARGET =
      AttributeKey.valueOf("plainsight.plain-connect");

  private final FlowRecorder recorder;
  private final ClientConnection connection;
  private final boolean intercept;
  private final Destinations destinations;
  private final UpstreamFailureRecorder upstreamErrors;
  private final ConnectRegistry registry;
  private final Function<String, CertificateSummary> forgedLeafFor;
  private final boolean tapTls;
  private final PlainOrigins plainOrigins;
  private boolean answeredAsPlain;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private Authority target;
  private String failure;
  private boolean refused;

  /** {@code intercept}: the deciders' choice (false: tunnel the bytes untouched). */
  ConnectFilters(HttpRequest connect, ChannelHandlerContext ctx, Policies policies,
      ClientConnection connection, boolean intercept, UpstreamFailureRecorder upstreamErrors,
      ConnectRegistry registry,
      Function<String, CertificateSummary> forgedLeafFor, boolean tapTls,
      PlainOrigins plainOrigins) {
    super(connect, ctx);
    this.recorder = policies.recorder();
    this.connection = connection;
    this.intercept = intercept;
    this.destinations = policies.destinations();
    this.upstreamErrors = upstreamErrors;
    this.registry = registry;
    this.forgedLeafFor = forgedLeafFor;
    this.tapTls = tapTls;
    this.plainOrigins = plainOrigins;
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (!(httpObject instanceof HttpRequest connect)) {
      return null;
    }
    try {
      target = Authority.parseConnectTarget(connect.uri());
    } catch (IllegalArgumentException bad) {
      failure = "bad CONNECT target \"" + printable(connect.uri()) + "\": " + bad.getMessage();
      return Responses.text(HttpResponseStatus.BAD_REQUEST, failure, true);
    }
    // LittleProxy routes on the request's text: hand it exactly the target checked and recorded
    connect.setUri(target.hostPort());
    if (intercept && plainOrigins.isPlain(target.host(), target.port())) {
      answeredAsPlain = true;
      ctx.channel().attr(PLAIN_TARGET).set(target);
      return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          new HttpResponseStatus(200, "Connection established"));
    }
    connection.connect(target.host(), target.port(), intercept,
        forgedLeafFor);
    registry.register(connect, connection);
    ctx.pipeline().addFirst(TAP_NAME, new RawTap(connection, tapTls));
    return null;
  }

  @Override
  public boolean proxyToServerAllowMitm() {
    return connection.intercepted();
  }

  @Override
  public InetSocketAddress proxyToServerResolutionStarted(String serverHostAndPort) {
    connection.dnsStarted();
    if (target == null || !target.hostPort().equals(serverHostAndPort)) {
      failure = "refused: Plainsight could not tell where this CONNECT goes";
      refused = true;
      return PinnedResolver.refused();
    }
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    Destinations.Resolution resolution =
        destinations.resolve(target, client == null ? null : client.getAddress());
    if (resolution instanceof Destinations.Reachable reachable) {
      return reachable.address();
    }
    if (resolution instanceof Destinations.Refused refusal) {
      connection.dnsDone(target.host(), refusal.address().getHostAddress());
      failure = refusal.reason();
      refused = true;
    } else {
      failure = ((Destinations.NotFound) resolution).reason();
    }
    return PinnedResolver.refused();
  }

  @Override
  public void proxyToServerResolutionSucceeded(String hostAndPort, InetSocketAddress resolved) {
    connection.dnsDone(target.host(), ExchangeFilters.addressOf(resolved));
  }

  @Override
  public void proxyToServerResolutionFailed(String hostAndPort) {
    if (failure == null) {
      failure = "DNS lookup failed: no address found for " + target.host();
    }
  }

  @Override
  public void proxyToServerConnectionStarted() {
    connection.tcpStarted();
    // a tunnel's connect is heard of only here: LittleProxy never reports its server channel
    UpstreamChannels.opening(ctx.channel(), connection, recorder, connection::tcpDone);
  }

  @Override
  public void proxyToServerConnectionSSLHandshakeStarted() {
    connection.tcpDone();
  }

  @Override
  public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
    WireTap.onServer(serverCtx.channel(), ctx.channel());
    FlushBatching.on(serverCtx.channel());
    connection.upstreamOpened(serverCtx.channel());
    Connections.watchUpstream(serverCtx.channel(), connection, recorder);
    if (!connection.intercepted()) {
      connection.tcpDone();
    } else {
      ServerCloseWatch.on(serverCtx.channel(), ctx.channel(),
          ServerCloseWatch.server(target.host(), target.port()));
      UnsolicitedGuard.on(serverCtx.channel(),
          ServerCloseWatch.server(target.host(), target.port()), reason -> recorder.record(
              UnsolicitedGuard.errorFlow(reason, connection, target.host(), target.port())));
    }
  }

  @Override
  public HttpObject proxyToClientResponse(HttpObject httpObject) {
    if (answeredAsPlain || !(httpObject instanceof FullHttpResponse generated)) {
      return httpObject;
    }
    if (connection.upstreamTlsDone()) {
      return null;
    }
    String reason = failure != null ? failure : explain(generated);
    HttpResponseStatus status = refused ? HttpResponseStatus.FORBIDDEN : generated.status();
    connection.outcomeRecorded();
    recorder.record(connection.stamp(new FlowBuilder())
        .kind(FlowKind.ERROR)
        .startedAt(startedAt)
        .client(connection.client())
        .method("CONNECT")
        .host(target == null ? null : target.host())
        .port(target == null ? 0 : target.port())
        .status(status.code())
        .durationMs((System.nanoTime() - startNanos) / 1_000_000)
        .error(reason)
        .wire(connection.wire())
        .participant(connection.participant()));
    return Responses.text(status, refused ? reason
        : "Plainsight could not open the tunnel: " + reason, true);
  }

  /** The target as the client sent it, for the error text: control characters escaped. */
  static String printable(String raw) {
    StringBuilder out = new StringBuilder();
    raw.codePoints().limit(200).forEach(c -> {
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        out.append(String.format("\\x%02x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return raw.length() > 200 ? out + "…" : out.toString();
  }

  private String explain(FullHttpResponse generated) {
    String hostPort = target.host() + ":" + target.port();
    if (generated.status().code() == HttpResponseStatus.BAD_GATEWAY.code()) {
      return upstreamErrors.take(hostPort).orElse("could not connect to " + hostPort
          + " (connection refused, unreachable, reset, or its TLS handshake failed)");
    }
    return "the proxy answered " + generated.status();
  }
}
