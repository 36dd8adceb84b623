package dev.plainsight.proxy.littleproxy;

import dev.plainsight.net.Authority;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection whose request head is not complete within a deadline of its first
 * byte (slowloris: a head trickled a byte every few seconds never trips the idle timeout), with a
 * 408 when no response is under way, an {@code error} flow and its log line. Only heads are timed:
 * a request body may take as long as it likes, and a tunnel or a WebSocket (LittleProxy removes
 * its HTTP decoder for both) is no longer watched. Inside an intercepted CONNECT the decrypted
 * requests are timed the same way (LittleProxy puts its TLS handler in front of both handlers).
 *
 * <p>Two handlers share one state per connection, on its event loop: {@code bytes}, at the front
 * of the pipeline, starts the clock when a byte arrives while a head is awaited; {@code heads},
 * right after LittleProxy's decoder, stops it when the head is decoded, awaits the next head after
 * the request's last content, and follows responses going out. {@link #watch} adds them to a new
 * client channel before LittleProxy sets it up.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.pipelinesStillNameTheirDecoderEncoderAndHandler}.
 */
final class HeadTimeout {
  /** LittleProxy's name for the HTTP request decoder of a client channel. */
  private static final String BYTES = "plainsight-head-bytes";
  private static final String HEADS = "plainsight-head-end";
  private static final int KEPT_HEAD_BYTES = 1024;

  private final FlowRecorder recorder;
  private final long timeoutMillis;

  HeadTimeout(FlowRecorder recorder, long timeoutMillis) {
    this.recorder = recorder;
    this.timeoutMillis = timeoutMillis;
  }

  /** Watches a client channel that LittleProxy has not set up yet. */
  void watch(Channel child) {
    child.pipeline().addLast(BYTES, new Bytes(new State()));
  }

  private final class State {
    boolean awaitingHead = true;
    boolean responding;
    boolean expired;
    ScheduledFuture<?> deadline;
    Instant firstByteAt;
    final ByteArrayOutputStream head = new ByteArrayOutputStream();
    ChannelHandlerContext headsCtx;

    void bytesArrived(ChannelHandlerContext ctx, ByteBuf buf) {
      if (!awaitingHead) {
        return;
      }
      if (deadline == null) {
        firstByteAt = Instant.now();
        head.reset();
        deadline = ctx.executor().schedule(this::expired, timeoutMillis, TimeUnit.MILLISECONDS);
      }
      int keep = Math.min(buf.readableBytes(), KEPT_HEAD_BYTES - head.size());
      if (keep > 0) {
        byte[] copy = new byte[keep];
        buf.getBytes(buf.readerIndex(), copy);
        head.write(copy, 0, keep);
      }
    }

    void headComplete() {
      awaitingHead = false;
      cancel();
    }

    void requestComplete() {
      awaitingHead = true;
    }

    void cancel() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }

    private void expired() {
      deadline = null;
      expired = true;
      ChannelHandlerContext ctx = headsCtx;
      if (ctx == null || !ctx.channel().isActive()
          || ctx.pipeline().get(LittleProxyInternals.DECODER) == null) {
        return;
      }
      recorder.record(partialRequest(ctx.channel()));
      if (responding) {
        ctx.channel().close();
        return;
      }
      ctx.writeAndFlush(Responses.text(HttpResponseStatus.REQUEST_TIMEOUT,
              "Plainsight closed this connection: the request head was not complete within "
                  + seconds() + " s", true))
          .addListener(ChannelFutureListener.CLOSE);
    }

    /** The error flow, with the method and target when the request line arrived whole. */
    private FlowBuilder partialRequest(Channel channel) {
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int lineEnd = text.indexOf('\n');
      String[] line = (lineEnd < 0 ? "" : text.substring(0, lineEnd)).trim().split(" ");
      FlowBuilder flow = new FlowBuilder()
          .kind(FlowKind.ERROR)
          .startedAt(firstByteAt)
          .client(clientOf(channel))
          .requestBytes(head.size())
          .durationMs(System.currentTimeMillis() - firstByteAt.toEpochMilli())
          .error("request head not complete within " + seconds() + " s (slow client)");
      if (line.length == 3 && line[2].startsWith("HTTP/")) {
        flow.method(line[0]).url(absolute(channel, line[1]));
      }
      return flow;
    }

    /** Inside an intercepted CONNECT a request target is a path: prefix the CONNECT's target. */
    private String absolute(Channel channel, String target) {
      if (!target.startsWith("/")) {
        return target;
      }
      ClientConnection connection = Connections.of(channel, recorder);
      if (connection.isConnect() && connection.intercepted()) {
        return "https://" + new Authority(connection.connectHost(), connection.connectPort())
            .authority(443) + target;
      }
      return target;
    }

    private String seconds() {
      return timeoutMillis % 1000 == 0 ? String.valueOf(timeoutMillis / 1000)
          : String.valueOf(timeoutMillis / 1000.0);
    }
  }

  private static String clientOf(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
  }

  /** Raw (or, behind TLS, decrypted) bytes from the client: starts the clock. */
  private static final class Bytes extends ChannelInboundHandlerAdapter {
    private final State state;

    Bytes(State state) {
      this.state = state;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (ctx.pipeline().get(LittleProxyInternals.DECODER) != null) {
        ctx.pipeline().addAfter(LittleProxyInternals.DECODER, HEADS, new Heads(state));
      }
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof ByteBuf buf && buf.isReadable()) {
        if (ctx.pipeline().get(LittleProxyInternals.DECODER) == null) {
          stopWatching(ctx);
        } else {
          state.bytesArrived(ctx, buf);
        }
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      state.cancel();
      super.channelInactive(ctx);
    }

    private void stopWatching(ChannelHandlerContext ctx) {
      state.cancel();
      if (ctx.pipeline().get(HEADS) != null) {
        ctx.pipeline().remove(HEADS);
      }
      ctx.pipeline().remove(this);
    }
  }

  /** Decoded requests and outgoing responses: stops the clock, and knows when a 408 may go. */
  private static final class Heads extends ChannelDuplexHandler {
    private final State state;

    Heads(State state) {
      this.state = state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      state.headsCtx = ctx;
    }

    /**
     * After the timeout the decoder reports the cut head as a failed request when the channel
     * closes; it is dropped, or it would be recorded a second time as a malformed request.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (state.expired && msg instanceof HttpRequest) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpRequest) {
        state.headComplete();
      }
      if (msg instanceof LastHttpContent) {
        state.requestComplete();
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      if (msg instanceof HttpResponse) {
        state.responding = true;
      }
      if (msg instanceof LastHttpContent) {
        state.responding = false;
      }
      super.write(ctx, msg, promise);
    }
  }
}
