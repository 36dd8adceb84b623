package dev.plainsight.proxy.littleproxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Runs an action once one given message has been written to a client: the last content of a
 * response. Sits right behind LittleProxy's HTTP encoder (so it sees the message object itself),
 * removes itself when that message passes, and runs the action only if the write succeeded. If
 * the client goes away first, the action never runs: the connection's close then records the
 * exchange as cut short. {@link #watch} is safe from any thread.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.pipelinesStillNameTheirDecoderEncoderAndHandler}.
 */
final class DeliveryWatch extends ChannelOutboundHandlerAdapter {
  /** LittleProxy's name for the HTTP response encoder of a client channel. */

  private final Object message;
  private final Runnable onWritten;

  private DeliveryWatch(Object message, Runnable onWritten) {
    this.message = message;
    this.onWritten = onWritten;
  }

  /** False when the channel has no encoder to sit behind (the caller should not wait then). */
  static boolean watch(Channel client, Object message, Runnable onWritten) {
    try {
      if (!client.isActive() || client.pipeline().get(LittleProxyInternals.ENCODER) == null) {
        return false;
      }
      client.pipeline().addAfter(LittleProxyInternals.ENCODER, null,
          new DeliveryWatch(message, onWritten));
      return true;
    } catch (RuntimeException pipelineChanged) {
      return false;
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg != message) {
      ctx.write(msg, promise);
      return;
    }
    ctx.pipeline().remove(this);
    ChannelPromise tracked = promise.unvoid();
    tracked.addListener(written -> {
      if (written.isSuccess()) {
        onWritten.run();
      }
    });
    ctx.write(msg, tracked);
  }
}
