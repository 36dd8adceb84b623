package dev.plainsight.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.littleshoot.proxy.HttpFiltersSourceAdapter;

/**
 * The filters of {@code --capture OFF}: forward and intercept, record nothing. They still do the
 * two things every exchange needs on Plainsight's shared loops: flushes batched per turn
 * ({@link FlushBatching}) and the client held while its server connection opens
 * ({@link ConnectingGate}), without which LittleProxy would wait on the very loop that has to
 * open the connection.
 */
final class ForwardOnlyFilters extends HttpFiltersAdapter {
  private ForwardOnlyFilters(HttpRequest request, ChannelHandlerContext ctx) {
    super(request, ctx);
  }

  /** One {@link ForwardOnlyFilters} per request; LittleProxy never aggregates (sizes are 0). */
  static final class Source extends HttpFiltersSourceAdapter {
    @Override
    public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext ctx) {
      FlushBatching.on(ctx.channel());
      return new ForwardOnlyFilters(request, ctx);
    }
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
