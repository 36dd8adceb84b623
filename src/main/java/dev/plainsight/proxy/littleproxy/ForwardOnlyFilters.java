package dev.plainsight.proxy.littleproxy;

import dev.plainsight.net.Authority;
import dev.plainsight.net.Destinations;
import dev.plainsight.proxy.policy.ClientAddressPolicy;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.littleshoot.proxy.HttpFiltersSourceAdapter;

/**
 * The filters of {@code --capture OFF}: forward and intercept, record nothing. They still do
 * what every exchange needs: the client address policy as with capture on (a public client is a
 * 403 unless {@code --allow-public}: a benchmark proxy on 0.0.0.0 is no open proxy either), the
 * target parsed and checked as with capture on (a bad CONNECT
 * target or request URL is a 400, a refused destination a 403, see {@link Destinations}), flushes
 * batched per turn ({@link FlushBatching}) and the client held while its server connection opens
 * ({@link ConnectingGate}), without which LittleProxy would wait on the very loop that has to
 * open the connection.
 */
final class ForwardOnlyFilters extends HttpFiltersAdapter {
  private final Destinations destinations;
  private final ClientAddressPolicy clients;
  private String refusal;

  private ForwardOnlyFilters(HttpRequest request, ChannelHandlerContext ctx,
      Destinations destinations, ClientAddressPolicy clients) {
    super(request, ctx);
    this.destinations = destinations;
    this.clients = clients;
  }

  /** One {@link ForwardOnlyFilters} per request; LittleProxy never aggregates (sizes are 0). */
  static final class Source extends HttpFiltersSourceAdapter {
    private final Destinations destinations;
    private final ClientAddressPolicy clients;

    Source(Destinations destinations, ClientAddressPolicy clients) {
      this.destinations = destinations;
      this.clients = clients;
    }

    @Override
    public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext ctx) {
      FlushBatching.on(ctx.channel());
      return new ForwardOnlyFilters(request, ctx, destinations, clients);
    }
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (!(httpObject instanceof HttpRequest request)) {
      return null;
    }
    if (!clients.allows(ctx.channel().remoteAddress())) {
      return Responses.text(HttpResponseStatus.FORBIDDEN, ClientAddressPolicy.REFUSAL, true);
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      try {
        request.setUri(Authority.parseConnectTarget(request.uri()).hostPort());
      } catch (IllegalArgumentException bad) {
        return Responses.text(HttpResponseStatus.BAD_REQUEST, "bad CONNECT target: "
            + bad.getMessage(), true);
      }
    } else if (ClientTarget.of(request) instanceof ClientTarget.Absolute absolute) {
      request.setUri(absolute.target().routingUri());
    } else if (ClientTarget.of(request) instanceof ClientTarget.Malformed bad) {
      return Responses.text(HttpResponseStatus.BAD_REQUEST, bad.reason(), true);
    }
    return null;
  }

  @Override
  public InetSocketAddress proxyToServerResolutionStarted(String serverHostAndPort) {
    Authority target;
    try {
      target = Authority.parse(serverHostAndPort, 80);
    } catch (IllegalArgumentException bad) {
      return PinnedResolver.refused();
    }
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    Destinations.Resolution resolution =
        destinations.resolve(target, client == null ? null : client.getAddress());
    if (resolution instanceof Destinations.Reachable reachable) {
      return reachable.address();
    }
    if (resolution instanceof Destinations.Refused refused) {
      refusal = refused.reason();
    }
    return PinnedResolver.refused();
  }

  @Override
  public HttpObject proxyToClientResponse(HttpObject httpObject) {
    if (refusal != null && httpObject instanceof HttpResponse) {
      String reason = refusal;
      refusal = null;
      return Responses.text(HttpResponseStatus.FORBIDDEN, reason, true);
    }
    return httpObject;
  }

  @Override
  public void proxyToServerConnectionStarted() {
    ConnectingGate.holdFor(ctx.channel());
  }

  @Override
  public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
    FlushBatching.on(serverCtx.channel());
    ConnectingGate.releaseFor(ctx.channel());
  }

  @Override
  public void proxyToServerConnectionFailed() {
    ConnectingGate.releaseFor(ctx.channel());
  }
}
