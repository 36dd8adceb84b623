package dev.plainsight.proxy.littleproxy;

import dev.plainsight.net.Authority;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.littleshoot.proxy.impl.ProxyUtils;

/**
 * Refuses a client's request whose framing is ambiguous ({@link RequestFraming}) before any of it
 * reaches LittleProxy's HTTP decoder: a 400 with {@code Connection: close} (or only the close when
 * a response is already going out), the close, and an {@code error} flow naming what was wrong.
 * Each read buffer is checked whole before any of it goes on, so a bad request that arrives in one
 * piece sends nothing upstream; a bad chunk arriving after its request's head was forwarded cuts
 * that request off.
 *
 * <p>Two handlers share one state per connection, on its event loop: {@code guard}, at the front
 * of the pipeline (behind LittleProxy's TLS handler inside an intercepted CONNECT, so it reads the
 * decrypted requests), and {@code answers}, right after the decoder, which follows the responses
 * going out. After a CONNECT or an upgrade request the guard holds what follows until that
 * request's answer shows what comes next: after a 101 or once a CONNECT became a tunnel it steps
 * out; after a CONNECT answered as plain HTTP ({@link ConnectFilters#PLAIN_TARGET}), inside an
 * intercepted one, or after any other answer, it reads on. {@link #watch} adds it to a new client
 * channel before LittleProxy sets it up.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.pipelinesStillNameTheirDecoderEncoderAndHandler} Netty's
 * own leniency: NettyFramingCanaryTest.
 */
final class FramingGuard {
  private static final String GUARD = "plainsight-framing";
  private static final String ANSWERS = "plainsight-framing-answers";
  private static final long RECHECK_MS = 1;
  private static final int MAX_RECHECKS = 10_000;
  /** What a client may send behind a CONNECT or an upgrade before its answer (a ClientHello). */
  private static final int MAX_HELD_BYTES = 256 * 1024;

  private final FlowRecorder recorder;

  FramingGuard(FlowRecorder recorder) {
    this.recorder = recorder;
  }

  /** Guards a client channel that LittleProxy has not set up yet. */
  void watch(Channel child) {
    child.pipeline().addLast(GUARD, new Guard());
  }

  private final class Guard extends ChannelInboundHandlerAdapter {
    private final RequestFraming framing = new RequestFraming();
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int finalAnswers;
    /** The status of the last final answer (a 101 to anything but a WebSocket counts as 200). */
    private int lastAnswer;
    private Integer pausedAnswer;
    private boolean responding;
    private boolean refused;
    private int rechecks;
    private int rawHeld;
    private ScheduledFuture<?> recheck;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (ctx.pipeline().get(LittleProxyInternals.DECODER) != null) {
        ctx.pipeline().addAfter(LittleProxyInternals.DECODER, ANSWERS, new Answers(this));
      }
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        ctx.fireChannelRead(msg);
      } else if (refused) {
        buf.release();
      } else if (framing.paused() || !held.isEmpty()) {
        hold(buf, false);
        resolve();
      } else if (ctx.pipeline().get(LittleProxyInternals.DECODER) == null) {
        stepOut();
        ctx.fireChannelRead(buf);
      } else {
        check(buf);
      }
    }

    /** Passes the good bytes of {@code buf} on; what follows a pause is held, first in line. */
    private void check(ByteBuf buf) {
      int from = buf.readerIndex();
      int to = buf.writerIndex();
      int good = framing.feed(buf, from, to);
      if (framing.paused() && pausedAnswer == null && finalAnswers >= framing.requests()) {
        pausedAnswer = lastAnswer;
      }
      if (framing.failure() != null) {
        buf.release();
        refuse();
      } else if (good == to) {
        ctx.fireChannelRead(buf);
      } else {
        ByteBuf rest = buf.retainedSlice(good, to - good);
        if (good > from) {
          ctx.fireChannelRead(buf.retainedSlice(from, good - from));
        }
        buf.release();
        hold(rest, true);
        resolve();
      }
    }

    /**
     * Holds bytes; those that arrive before LittleProxy puts its TLS handler in front (a client
     * that sent its ClientHello right behind its CONNECT) are raw and counted, first in line.
     */
    private void hold(ByteBuf buf, boolean first) {
      long heldBytes = buf.readableBytes();
      for (ByteBuf waiting : held) {
        heldBytes += waiting.readableBytes();
      }
      if (heldBytes > MAX_HELD_BYTES) {
        buf.release();
        refused = true;
        releaseHeld();
        recorder.record(new FlowBuilder()
            .kind(FlowKind.ERROR)
            .startedAt(Instant.now())
            .client(clientOf(ctx.channel()))
            .method(framing.method())
            .url(url())
            .error("the client sent more than " + MAX_HELD_BYTES + " bytes after its "
                + framing.method() + " before the answer that says what they are; closed"));
        ctx.close();
        return;
      }
      boolean raw = ctx.pipeline().get(LittleProxyInternals.SSL) == null;
      if (first) {
        held.addFirst(buf);
      } else {
        held.add(buf);
      }
      if (raw) {
        rawHeld++;
      }
    }

    /**
     * A final answer went out; the paused request's (or one sent before that request ended, which
     * {@link #check} picks up) decides what follows. A 101 to anything but a WebSocket is read on
     * as HTTP (LittleProxy keeps its decoder then).
     */
    void answered(int status, boolean webSocket) {
      lastAnswer = status == 101 && !webSocket ? 200 : status;
      if (framing.paused() && finalAnswers == framing.requests()) {
        pausedAnswer = lastAnswer;
        resolve();
      }
    }

    /** Decides, once the paused request's answer and the pipeline allow, what held bytes are. */
    private void resolve() {
      if (refused || ctx.isRemoved()) {
        return;
      }
      if (!framing.paused()) {
        readOn();
        return;
      }
      if (pausedAnswer == null) {
        return;
      }
      boolean connectAccepted = "CONNECT".equals(framing.method()) && pausedAnswer / 100 == 2;
      if (pausedAnswer == 101 || connectAccepted
          && ctx.pipeline().get(LittleProxyInternals.DECODER) == null) {
        stepOut();
      } else if (!connectAccepted
          || ctx.channel().attr(ConnectFilters.PLAIN_TARGET).get() != null) {
        readOn();
      } else if (ctx.pipeline().get(LittleProxyInternals.SSL) != null) {
        List<ByteBuf> raw = new ArrayList<>();
        for (; rawHeld > 0 && !held.isEmpty(); rawHeld--) {
          raw.add(held.poll());
        }
        rawHeld = 0;
          framing.resume();
        pausedAnswer = null;
        raw.forEach(ctx.pipeline()::fireChannelRead);
        readOn();
      } else if (!held.isEmpty() && recheck == null) {
        if (++rechecks > MAX_RECHECKS) {
          ctx.close();
          return;
        }
        recheck = ctx.executor().schedule(() -> {
          recheck = null;
          resolve();
        }, RECHECK_MS, TimeUnit.MILLISECONDS);
      }
    }

    /** HTTP goes on: held bytes are checked as the next requests. */
    private void readOn() {
      framing.resume();
      pausedAnswer = null;
      rawHeld = 0;
      while (!held.isEmpty() && !framing.paused() && !refused) {
        check(held.poll());
      }
    }

    /** Not HTTP any more (a tunnel, a WebSocket): held bytes go on as they are, unchecked. */
    private void stepOut() {
      while (!held.isEmpty()) {
        ctx.fireChannelRead(held.poll());
      }
      if (ctx.pipeline().get(ANSWERS) != null) {
        ctx.pipeline().remove(ANSWERS);
      }
      ctx.pipeline().remove(this);
    }

    private void refuse() {
      refused = true;
      releaseHeld();
      String reason = framing.failure();
      recorder.record(new FlowBuilder()
          .kind(FlowKind.ERROR)
          .startedAt(Instant.now())
          .client(clientOf(ctx.channel()))
          .method(framing.method())
          .url(url())
          .status(400)
          .error("malformed request, refused with 400: " + reason));
      if (responding) {
        ctx.close();
        return;
      }
      byte[] body = ("Plainsight refused this request: " + reason + "\n")
          .getBytes(StandardCharsets.UTF_8);
      byte[] head = ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n"
          + "X-Plainsight: generated by the proxy\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body))
          .addListener(ChannelFutureListener.CLOSE);
    }

    /** The refused request's URL, absolute: inside a CONNECT its target is only a path. */
    private String url() {
      String target = framing.target();
      if (target == null || !target.startsWith("/")) {
        return target;
      }
      Authority plain = ctx.channel().attr(ConnectFilters.PLAIN_TARGET).get();
      if (plain != null) {
        return "http://" + plain.authority(80) + target;
      }
      if (ctx.pipeline().get(LittleProxyInternals.SSL) != null) {
        ClientConnection connection = Connections.of(ctx.channel(), recorder);
        if (connection.isConnect()) {
          return "https://" + new Authority(connection.connectHost(),
              connection.connectPort()).authority(443) + target;
        }
      }
      return target;
    }

    private void releaseHeld() {
      while (!held.isEmpty()) {
        ReferenceCountUtil.release(held.poll());
      }
      rawHeld = 0;
      if (recheck != null) {
        recheck.cancel(false);
        recheck = null;
      }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      releaseHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      releaseHeld();
      super.channelInactive(ctx);
    }
  }

  private static String clientOf(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
  }

  /**
   * Responses going out: counts final answers (so the paused request's is known) and knows when
   * one is under way. After a refusal, drops what the decoder still makes of the cut request.
   */
  private static final class Answers extends ChannelDuplexHandler {
    private final Guard guard;

    Answers(Guard guard) {
      this.guard = guard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (guard.refused) {
        ReferenceCountUtil.release(msg);
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      HttpResponse answer = null;
      if (msg instanceof HttpResponse response) {
        int status = response.status().code();
        guard.responding = true;
        if (status >= 200 || status == 101) {
          guard.finalAnswers++;
          answer = response;
        }
      }
      if (msg instanceof LastHttpContent) {
        guard.responding = false;
      }
      int status = answer == null ? 0 : answer.status().code();
      boolean webSocket = answer != null && ProxyUtils.isSwitchingToWebSocketProtocol(answer);
      ctx.write(msg, promise);
      if (answer != null) {
        guard.answered(status, webSocket);
      }
    }
  }
}
