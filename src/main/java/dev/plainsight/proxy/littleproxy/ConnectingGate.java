package dev.plainsight.proxy.littleproxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds what a client sends after a request head while the connection to its server is being
 * opened. LittleProxy would otherwise block the reading thread (up to 30 s) on such a message — a
 * request's end or body arrives right behind its head — until the connection is up; with client
 * and server on one event loop ({@link SharedLoops}) that wait could never end. Sits in front of
 * LittleProxy's handler: {@link #holdFor} when a connection starts, {@link #releaseFor} when it
 * succeeds or fails; held messages then go on in order (stopping again should one of them open
 * another connection). The client is not read while messages are held; they are freed if it goes
 * away.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.pipelinesStillNameTheirDecoderEncoderAndHandler} (its
 * place); the blocking wait itself has no canary: it shows only with SharedLoops.
 */
final class ConnectingGate extends ChannelInboundHandlerAdapter {
  private static final String NAME = "plainsight-connecting-gate";
  /** The name LittleProxy gives its connection handler in a client's pipeline. */

  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean holding;
  private boolean pausedReading;

  /** A server connection for this client is being opened: what it sends from now on waits. */
  static void holdFor(Channel client) {
    ConnectingGate gate = of(client);
    if (gate != null) {
      gate.holding = true;
    }
  }

  /** The client's gate, put in place on first use; null when the pipeline has no room for it. */
  private static ConnectingGate of(Channel client) {
    ConnectingGate gate = (ConnectingGate) client.pipeline().get(NAME);
    if (gate != null) {
      return gate;
    }
    try {
      gate = new ConnectingGate();
      client.pipeline().addBefore(LittleProxyInternals.HANDLER, NAME, gate);
      return gate;
    } catch (RuntimeException pipelineChanged) {
      return null;
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The client's server connection is up or has failed: held messages go on once the current task
   * is done. Nothing to do for a client without a gate.
   */
  static void releaseFor(Channel client) {
    ConnectingGate gate = (ConnectingGate) client.pipeline().get(NAME);
    if (gate != null) {
      gate.ctx.executor().execute(gate::passHeld);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!holding && held.isEmpty()) {
      ctx.fireChannelRead(msg);
      return;
    }
    held.add(msg);
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      pausedReading = true;
    }
  }

  private void passHeld() {
    holding = false;
    if (ctx.isRemoved()) {
      return;
    }
    while (!holding && !held.isEmpty()) {
      ctx.fireChannelRead(held.poll());
    }
    if (!holding && pausedReading) {
      pausedReading = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    held.forEach(ReferenceCountUtil::release);
    held.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    held.forEach(ReferenceCountUtil::release);
    held.clear();
  }
}
