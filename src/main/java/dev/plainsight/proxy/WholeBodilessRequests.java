package dev.plainsight.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Hands LittleProxy a request without a body as one {@link FullHttpRequest} instead of a head
 * followed by an empty last content. LittleProxy 2.8 writes that second part to the server
 * connection while it may still be connecting, and then waits for the connection on the client's
 * event loop ({@code ProxyToServerConnection.write}: {@code connectLock.wait}), so a host that
 * never completes the TCP handshake froze every client sharing that thread until the connect
 * timeout. A whole request is written once, when the connection is up. Nothing else changes:
 * same head, no body, no added header. Sits right after LittleProxy's decoder ({@link #watch}
 * puts it there when the channel becomes active); a CONNECT and requests with a body pass as
 * they are.
 */
final class WholeBodilessRequests extends ChannelInboundHandlerAdapter {
  private static final String NAME = "plainsight-whole-bodiless";
  private HttpRequest pending;

  /** Installs the handler on a client channel LittleProxy has not set up yet. */
  static void watch(Channel child) {
    child.pipeline().addLast(NAME + "-placer", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.pipeline().get(HeadTimeout.DECODER) != null) {
          ctx.pipeline().addAfter(HeadTimeout.DECODER, NAME, new WholeBodilessRequests());
        }
        ctx.pipeline().remove(this);
        super.channelActive(ctx);
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (pending != null) {
      HttpRequest head = pending;
      pending = null;
      if (msg instanceof LastHttpContent last && !last.content().isReadable()
          && last.trailingHeaders().isEmpty() && last.decoderResult().isSuccess()) {
        ReferenceCountUtil.release(last);
        ctx.fireChannelRead(new DefaultFullHttpRequest(head.protocolVersion(), head.method(),
            head.uri(), Unpooled.EMPTY_BUFFER, head.headers(), last.trailingHeaders()));
        return;
      }
      ctx.fireChannelRead(head);
    }
    if (msg instanceof HttpRequest request && bodiless(request)) {
      pending = request;
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static boolean bodiless(HttpRequest request) {
    if (request instanceof FullHttpRequest || !request.decoderResult().isSuccess()
        || HttpMethod.CONNECT.equals(request.method())
        || HttpUtil.isTransferEncodingChunked(request)) {
      return false;
    }
    try {
      return HttpUtil.getContentLength(request, 0L) == 0;
    } catch (NumberFormatException odd) {
      return false;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushPending(ctx);
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    flushPending(ctx);
    ctx.fireChannelInactive();
  }

  private void flushPending(ChannelHandlerContext ctx) {
    if (pending != null) {
      HttpRequest head = pending;
      pending = null;
      ctx.fireChannelRead(head);
    }
  }
}
