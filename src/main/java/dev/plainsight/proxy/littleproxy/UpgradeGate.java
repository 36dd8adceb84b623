package dev.plainsight.proxy.littleproxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Holds a client's bytes between a WebSocket 101 and LittleProxy's switch of the client pipeline
 * to raw frames. LittleProxy swaps its HTTP decoder for a frame pipe only once the 101 is written,
 * so a client that sends its first frame at once could have it parsed as an HTTP request (and
 * refused as malformed). Installed in front of the decoder when the 101 is on its way; lets bytes
 * through, in order, as soon as the decoder is gone, then removes itself. Bytes still held when
 * the channel closes are released.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.pipelinesStillNameTheirDecoderEncoderAndHandler}.
 */
final class UpgradeGate extends ChannelInboundHandlerAdapter {
  private static final long CHECK_EVERY_MS = 1;
  private static final int MAX_CHECKS = 10_000;

  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private int checks;

  /** Puts a gate in front of the client's HTTP decoder; false when there is none any more. */
  static boolean install(Channel client) {
    try {
      if (client.pipeline().get(LittleProxyInternals.DECODER) == null) {
        return false;
      }
      client.pipeline().addBefore(LittleProxyInternals.DECODER, null, new UpgradeGate());
      return true;
    } catch (RuntimeException pipelineChanged) {
      return false;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf) || switched(ctx)) {
      fireHeld(ctx);
      ctx.fireChannelRead(msg);
      ctx.pipeline().remove(this);
      return;
    }
    held.add(msg);
    if (held.size() == 1) {
      ctx.executor().schedule(() -> recheck(ctx), CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void recheck(ChannelHandlerContext ctx) {
    if (ctx.isRemoved()) {
      return;
    }
    if (switched(ctx) || ++checks >= MAX_CHECKS || !ctx.channel().isActive()) {
      release(ctx);
    } else {
      ctx.executor().schedule(() -> recheck(ctx), CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }
  }

  private static boolean switched(ChannelHandlerContext ctx) {
    return ctx.pipeline().get(LittleProxyInternals.DECODER) == null;
  }

  /** Lets what was held through, in order, and steps out of the pipeline. */
  private void release(ChannelHandlerContext ctx) {
    if (ctx.isRemoved()) {
      return;
    }
    fireHeld(ctx);
    ctx.pipeline().remove(this);
  }

  private void fireHeld(ChannelHandlerContext ctx) {
    while (!held.isEmpty()) {
      ctx.fireChannelRead(held.poll());
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    handlerRemoved(ctx);
    super.channelInactive(ctx);
  }
}
