package dev.plainsight.proxy.littleproxy;

import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.ExchangeCapture;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.WebSocketCapture;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.join.Room;
import dev.plainsight.net.Authority;
import dev.plainsight.net.Destinations;
import dev.plainsight.proxy.policy.Policies;
import dev.plainsight.proxy.policy.Verdict;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.littleshoot.proxy.impl.ProxyUtils;

/**
 * LittleProxy's callbacks for one HTTP exchange (plain, or inside an intercepted CONNECT), turned
 * into {@link ExchangeCapture} events. It watches and never changes what passes, with three
 * exceptions: it restores the WebSocket upgrade headers LittleProxy strips, it replaces the
 * proxy's own terse 502/504 bodies with an explanation, and it lets the tamper rules ({@link
 * ExchangeTamper}) rewrite what they match; what is captured is what was forwarded. A WebSocket
 * flow is stored at its 101; its messages follow through a {@link WebSocketTap} (both directions'
 * frames reach this filter). On a CONNECT answered as plain HTTP, it completes each origin-form
 * request's URL with the CONNECT's target before LittleProxy routes it; plain origins that answer
 * are remembered. When a server closes its connection before answering ({@link
 * ServerCloseWatch}), a plain-HTTP kept-alive connection's GET, HEAD or OPTIONS without a body
 * is sent once more on a new connection (what a browser does itself when its own kept-alive
 * connection closes so); any other plain request gets an explained 502 and the client connection
 * is closed; inside an intercepted CONNECT, LittleProxy has closed the client already, and the
 * flow says the server did it.
 */
final class ExchangeFilters extends HttpFiltersAdapter {
  private final FlowRecorder recorder;
  private final ClientConnection connection;
  private final ExchangeCapture exchange;
  private final Destinations destinations;
  private final UpstreamFailureRecorder upstreamErrors;
  private final boolean decrypted;
  private final Verdict.Answer answer;
  private final Room room;
  private final ExchangeTamper tamper;
  private final PlainOrigins plainOrigins;
  private final boolean resent;
  private boolean openedConnection;
  private boolean answeredByProxy;
  private boolean webSocketUpgrade;
  private boolean inInterimResponse;
  private String failure;
  private boolean refused;
  private ExchangeTarget target;
  private volatile WebSocketTap webSocket;

  /** {@code answer}: the proxy's own answer a decider gave (null: the request is forwarded). */
  ExchangeFilters(HttpRequest originalRequest, ChannelHandlerContext ctx, Policies policies,
      ClientConnection connection, UpstreamFailureRecorder upstreamErrors, Verdict.Answer answer,
      PlainOrigins plainOrigins, Room room) {
    super(originalRequest, ctx);
    this.recorder = policies.recorder();
    this.connection = connection;
    this.destinations = policies.destinations();
    this.upstreamErrors = upstreamErrors;
    this.answer = answer;
    this.room = room;
    this.plainOrigins = plainOrigins;
    this.decrypted = connection.isConnect() && connection.intercepted();
    this.exchange = new ExchangeCapture(connection.client(), recorder.bodyCaptureLimit(),
        connection.id());
    exchange.participant(connection.participant());
    this.tamper = new ExchangeTamper(policies.tamper(), exchange::modified);
    this.resent = ServerCloseWatch.takeResent(ctx.channel());
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (httpObject instanceof HttpRequest request) {
      HttpResponse refusal = startExchange(request);
      if (refusal != null) {
        return refusal;
      }
    }
    if (httpObject instanceof HttpContent content) {
      exchange.requestChunk(content.content());
    }
    return null;
  }

  private HttpResponse startExchange(HttpRequest request) {
    // for the proxy alone (hop-by-hop): dropped before capture, so no flow shows the room password
    request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    Authority plainTarget = ctx.channel().attr(ConnectFilters.PLAIN_TARGET).get();
    if (plainTarget != null && request.uri().startsWith("/")) {
      request.setUri("http://" + plainTarget.hostPort() + request.uri());
    }
    target = decrypted ? ExchangeTarget.decrypted(connection, request) : ExchangeTarget.of(request);
    if (answer == null && target.malformed() == null) {
      tamper.request(request, target.host());
    }
    exchange.request(request.method().name(), target.url(), target.host(), target.port(),
        request.protocolVersion().text(), ExchangeTarget.headers(request.headers()));
    connection.startExchange(exchange);
    if (decrypted) {
      exchange.connectionSetup(connection.takeSetup());
    }
    webSocketUpgrade = request.headers().contains(HttpHeaderNames.UPGRADE, "websocket", true);
    if (answer != null) {
      answeredByProxy = true;
      return Responses.of(answer);
    }
    if (target.malformed() != null) {
      failure = target.malformed();
      return Responses.text(HttpResponseStatus.BAD_REQUEST, failure, true);
    }
    return null;
  }

  @Override
  public HttpResponse proxyToServerRequest(HttpObject httpObject) {
    if (webSocketUpgrade && httpObject instanceof HttpRequest request) {
      request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
      request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    return null;
  }

  @Override
  public InetSocketAddress proxyToServerResolutionStarted(String serverHostAndPort) {
    exchange.dnsStarted();
    if (target.routed() == null || !target.routed().hostPort().equals(serverHostAndPort)) {
      failure = "refused: Plainsight could not tell where this request goes";
      refused = true;
      return PinnedResolver.refused();
    }
    Destinations.Resolution resolution = destinations.resolve(target.routed(), clientAddress());
    if (resolution instanceof Destinations.Reachable reachable) {
      return reachable.address();
    }
    if (resolution instanceof Destinations.Refused refusal) {
      exchange.dnsDone(refusal.address().getHostAddress());
      failure = refusal.reason();
      refused = true;
    } else {
      failure = ((Destinations.NotFound) resolution).reason();
    }
    return PinnedResolver.refused();
  }

  private java.net.InetAddress clientAddress() {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress()
        : null;
  }

  @Override
  public void proxyToServerResolutionSucceeded(String hostAndPort, InetSocketAddress resolved) {
    exchange.dnsDone(addressOf(resolved));
  }

  static String addressOf(InetSocketAddress resolved) {
    return resolved == null || resolved.getAddress() == null ? null
        : resolved.getAddress().getHostAddress();
  }

  @Override
  public void proxyToServerResolutionFailed(String hostAndPort) {
    if (failure == null) {
      failure = "DNS lookup failed: no address found for " + exchange.host();
    }
  }

  @Override
  public void proxyToServerConnectionStarted() {
    openedConnection = true;
    UpstreamChannels.opening(ctx.channel(), connection, recorder, () -> { });
    exchange.connectStarted();
    ConnectingGate.holdFor(ctx.channel());
  }

  @Override
  public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
    WireTap.onServer(serverCtx.channel(), ctx.channel());
    FlushBatching.on(serverCtx.channel());
    String via = UpstreamRoutes.via(serverCtx);
    if (via != null) {
      exchange.viaUpstreamProxy(via);
    }
    ServerCloseWatch.on(serverCtx.channel(), ctx.channel(), server());
    UnsolicitedGuard.on(serverCtx.channel(), server(), reason -> recorder.record(
        UnsolicitedGuard.errorFlow(reason, connection, exchange.host(), exchange.port())));
    exchange.connectDone();
    connection.upstreamOpened(serverCtx.channel());
    Connections.watchUpstream(serverCtx.channel(), connection, recorder);
    ConnectingGate.releaseFor(ctx.channel());
  }

  @Override
  public void proxyToServerConnectionFailed() {
    ConnectingGate.releaseFor(ctx.channel());
  }

  @Override
  public void proxyToServerRequestSending() {
    exchange.requestSending();
  }

  @Override
  public void proxyToServerRequestSent() {
    exchange.requestSent();
    if (!webSocketUpgrade) {
      ServerCloseWatch.awaitAnswer(ctx.channel(), server(), this::serverClosedBeforeAnswering);
    }
  }

  /** The server closed the connection before any of the response came. */
  private void serverClosedBeforeAnswering() {
    if (exchange.hasResponse() || !exchange.claim()) {
      return;
    }
    connection.endExchange(exchange);
    if (decrypted) {
      record(exchange.failed("the server " + server() + " closed the connection "
          + "without answering; the client's connection was closed with it"));
      return;
    }
    if (!openedConnection && !resent && ctx.channel().isActive()
        && ServerCloseWatch.canResend(originalRequest)) {
      record(exchange.failed("the server " + server() + " closed its kept-alive "
          + "connection as this request went out; Plainsight sent the request again on a new "
          + "connection"));
      ServerCloseWatch.resend(ctx.channel(), originalRequest);
      return;
    }
    String reason = "the server " + server() + " closed the connection without answering";
    record(exchange.failed(reason));
    ctx.writeAndFlush(Responses.text(HttpResponseStatus.BAD_GATEWAY,
        "Plainsight could not complete this request: " + reason, true))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private String server() {
    return ServerCloseWatch.server(exchange.host(), exchange.port());
  }

  @Override
  public void serverToProxyResponseTimedOut() {
    failure = "the server " + exchange.host() + ":" + exchange.port()
        + " did not answer in time (gateway timeout)";
  }

  @Override
  public HttpObject serverToProxyResponse(HttpObject httpObject) {
    if (httpObject instanceof HttpContent && httpObject.decoderResult().isFailure()) {
      return cutMalformedBody(httpObject.decoderResult().cause());
    }
    if (httpObject instanceof HttpResponse response) {
      ServerCloseWatch.answered(ctx.channel());
      int status = response.status().code();
      inInterimResponse = status >= 100 && status < 200 && status != 101;
      if (inInterimResponse) {
        return httpObject;
      }
      if (GeneratedAnswers.isSubstituteForUnparseable(response)) {
        failure = "the server " + exchange.host() + ":" + exchange.port()
            + " sent a response that is not valid HTTP";
        return httpObject;
      }
      httpObject = tamper.response(response);
      exchange.response(status, response.status().reasonPhrase(),
          response.protocolVersion().text(),
          ExchangeTarget.headers(((HttpResponse) httpObject).headers()));
      if (!decrypted) {
        plainOrigins.answered(exchange.host(), exchange.port());
      }
    } else if (inInterimResponse) {
      if (httpObject instanceof LastHttpContent) {
        inInterimResponse = false;
      }
      return httpObject;
    } else {
      httpObject = tamper.response(httpObject);
    }
    if (httpObject instanceof HttpContent content) {
      exchange.responseChunk(content.content());
    }
    boolean switched = httpObject instanceof HttpResponse response
        && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    if (httpObject instanceof LastHttpContent && !switched && !exchange.isFinished()) {
      finishOnceWritten(httpObject);
    } else if (switched && !exchange.isFinished()) {
      if (ProxyUtils.isSwitchingToWebSocketProtocol((HttpResponse) httpObject)) {
        UpgradeGate.install(ctx.channel());
      }
      Flow flow = finish();
      if (flow != null && flow.id() != 0
          && ProxyUtils.isSwitchingToWebSocketProtocol((HttpResponse) httpObject)) {
        String extensions = ((HttpResponse) httpObject).headers()
            .get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        webSocket = WebSocketTap.start(new WebSocketCapture(flow, extensions,
            WebSocketCapture.Limits.forBodyLimit(recorder.bodyCaptureLimit())), recorder,
            ctx.channel());
      }
    }
    return httpObject;
  }

  @Override
  public void webSocketFrameReceived(Supplier<byte[]> bytes, boolean fromClient) {
    WebSocketTap tap = webSocket;
    if (tap != null) {
      tap.bytes(bytes, fromClient);
    }
  }

  @Override
  public HttpObject proxyToClientResponse(HttpObject httpObject) {
    if (answeredByProxy && httpObject instanceof FullHttpResponse own) {
      exchange.response(own.status().code(), own.status().reasonPhrase(),
          own.protocolVersion().text(), ExchangeTarget.headers(own.headers()));
      exchange.responseChunk(own.content());
      finish();
      return httpObject;
    }
    if (exchange.hasResponse() || exchange.isFinished()
        || !(httpObject instanceof FullHttpResponse generated)) {
      return httpObject;
    }
    ServerCloseWatch.answered(ctx.channel());
    String reason = failure != null ? failure
        : GeneratedAnswers.explain(generated, exchange.host(), exchange.port(), upstreamErrors);
    connection.endExchange(exchange);
    if (exchange.claim()) {
      record(exchange.failed(reason));
    }
    boolean close = !HttpUtil.isKeepAlive(generated);
    if (refused) {
      return DashboardDetour.answer(room, exchange.host(), exchange.port(), reason, close);
    }
    return Responses.text(generated.status(), "Plainsight could not complete this request: "
        + reason, close);
  }

  /**
   * Netty reports a body it cannot frame (a bad chunk size) as a failed content, which LittleProxy
   * would forward as the body's clean end: instead both connections are closed (null), so the
   * client sees the response cut off, and the flow is an error keeping what arrived.
   */
  private HttpObject cutMalformedBody(Throwable cause) {
    connection.endExchange(exchange);
    if (exchange.claim()) {
      recorder.record(exchange.failed("the server " + server() + " sent a malformed body ("
          + (cause == null ? "unreadable" : cause.getClass().getSimpleName() + ": "
              + cause.getMessage()) + "); the response was cut off there"));
    }
    return null;
  }

  /**
   * Records the flow once the response's last content has been written to the client ({@link
   * DeliveryWatch}). A client that vanished mid-download never gets it, and its close records the
   * exchange as cut short, instead of the proxy recording as complete a response the client never
   * received (the upstream side can deliver the rest before the close is noticed).
   */
  private void finishOnceWritten(HttpObject last) {
    if (!DeliveryWatch.watch(ctx.channel(), last, this::finish)) {
      finish();
    }
  }

  /** Records the flow once; null when it was already recorded (the client vanished first). */
  private Flow finish() {
    connection.endExchange(exchange);
    if (!exchange.claim()) {
      return null;
    }
    FlowBuilder flow = exchange.complete(decrypted ? FlowKind.HTTPS_DECRYPTED : FlowKind.HTTP);
    if (decrypted) {
      flow.tls(connection.clientTls()).wire(connection.wire());
    }
    return record(flow);
  }

  /** Records the exchange's flow, linked to the flow that opened the connection it reused. */
  private Flow record(FlowBuilder flow) {
    Flow recorded = recorder.record(connection.linkReuse(exchange, flow));
    connection.recorded(exchange, recorded);
    return recorded;
  }
}
