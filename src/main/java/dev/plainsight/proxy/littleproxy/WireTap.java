package dev.plainsight.proxy.littleproxy;

import dev.plainsight.pcap.LegIndex;
import dev.plainsight.pcap.LegRecorder;
import dev.plainsight.pcap.TcpLeg;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import dev.plainsight.pcap.EngineWire;
import dev.plainsight.proxy.ObservedSslEngine;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches one socket from the head of its pipeline: who ended it ({@link #closeReason}: the peer
 * closed it, the peer reset it, or Plainsight closed it; every close Plainsight or LittleProxy
 * asks for, the TLS handler's own included, passes through the head, while a peer's FIN or RST
 * closes the channel without passing through it) and, when packet capture is on, the bytes that
 * cross it, copied into a {@link LegRecorder}; it never modifies, delays or releases them.
 * Installed on every client channel as it is accepted and on every server channel as it is
 * registered ({@link UpstreamChannels}; {@link #onServer} once connected, for any it missed).
 * LittleProxy puts a client's {@code ssl} handler first after the proxy's first answer (the
 * CONNECT's 200): once that write is done the tap moves back in front. On an intercepted server
 * socket the {@code ssl} handler stays in front, and its engine records that leg ({@link
 * #decideLeg}).
 */
@ChannelHandler.Sharable
final class WireTap extends ChannelDuplexHandler {
  static final String NAME = "plainsight-wire";
  private static final long HAND_OVER_AFTER_SECONDS = 5;
  private static final AttributeKey<LegRecorder> LEG = AttributeKey.valueOf("plainsight.leg");
  private static final AttributeKey<WireTap> TAP = AttributeKey.valueOf("plainsight.wire-tap");

  /** Null: packet capture is off, or this leg cannot be captured. */
  private LegRecorder leg;
  private final boolean clientLeg;
  /** A server tap made at registration ({@link #forUpstream}): its client, told once connected. */
  private Channel client;
  private Consumer<Channel> whenConnected;
  /** The client's leg this server socket's leg belongs to (known once connected), or null. */
  private LegRecorder upstreamOf;
  private Instant connectedAt;
  /** The server leg was opened, or refused (behind another TLS handler): decided once. */
  private boolean legDecided;
  private boolean tlsInFront;
  private boolean firstWriteSeen;
  private volatile boolean closedHere;
  private volatile boolean reset;

  private WireTap(LegRecorder leg, boolean clientLeg) {
    this.leg = leg;
    this.clientLeg = clientLeg;
  }

  /** Taps a client channel as it is accepted. */
  static void onClient(Channel channel, LegIndex index) {
    LegRecorder leg = null;
    if (index.isOn() && channel.remoteAddress() instanceof InetSocketAddress remote
        && channel.localAddress() instanceof InetSocketAddress local) {
      leg = index.openClient(remote, local);
      channel.attr(LEG).set(leg);
    }
    install(channel, new WireTap(leg, true));
  }

  /**
   * Taps a server channel LittleProxy connected for {@code client}. Its bytes are captured only
   * when the client's are and it carries no TLS handler yet (an intercepted upstream's handshake
   * is over by then, and a leg without its ClientHello cannot be decrypted: it is left out).
   */
  static void onServer(Channel server, Channel client) {
    if (server.pipeline().get(NAME) != null) {
      return;
    }
    LegRecorder clientLeg = client.attr(LEG).get();
    LegRecorder leg = null;
    if (clientLeg != null && server.pipeline().get(SslHandler.class) == null
        && server.remoteAddress() instanceof InetSocketAddress remote
        && server.localAddress() instanceof InetSocketAddress local) {
      leg = clientLeg.openUpstream(local, remote);
    }
    install(server, new WireTap(leg, false));
  }

  /**
   * Taps a server channel as it is registered, before it connects: its bytes are captured from
   * the first when the client's are and no TLS handler comes before the tap (a tunnel, plain
   * HTTP: {@link #openLegAtFirstByte}), and {@code whenConnected} runs once the connect
   * succeeded, before LittleProxy hears of it.
   */
  static void forUpstream(Channel server, Channel client, Consumer<Channel> whenConnected) {
    if (server.pipeline().get(NAME) != null) {
      return;
    }
    WireTap tap = new WireTap(null, false);
    tap.client = client;
    tap.whenConnected = whenConnected;
    install(server, tap);
  }

  @Override
  public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
      ChannelPromise promise) throws Exception {
    if (whenConnected != null) {
      promise = promise.unvoid();
      promise.addListener(done -> {
        if (done.isSuccess()) {
          connected(ctx.channel());
        }
      });
    }
    super.connect(ctx, remote, local, promise);
  }

  /** Runs before LittleProxy's own listener on the connect. */
  private void connected(Channel server) {
    upstreamOf = client == null ? null : client.attr(LEG).get();
    connectedAt = Instant.now();
    whenConnected.accept(server);
  }

  /**
   * Opens a server leg registered early, at its first byte or its first TLS event. With no TLS
   * handler before the tap (a tunnel, plain HTTP) the tap itself records the bytes. LittleProxy
   * puts an intercepted upstream's TLS handler first, and that handler writes its ClientHello as
   * it is added, before the tap: the leg is then fed by the handler's engine ({@link
   * ObservedSslEngine}, whose {@link EngineWire} held the bytes until now). A TLS handler whose
   * engine is not observed (a TLS upstream proxy's) leaves the leg out: its bytes never cross
   * the tap as they crossed the wire.
   */
  private void decideLeg(ChannelHandlerContext ctx) {
    if (legDecided || upstreamOf == null) {
      return;
    }
    // LittleProxy adds a server socket's TLS handlers in front of everything (the outermost
    // first), and the tap was first when the socket was registered
    SslHandler outermost = ctx.pipeline().get(SslHandler.class);
    EngineWire wire = outermost != null
        && outermost.engine() instanceof ObservedSslEngine observed ? observed.wire() : null;
    if (outermost != null && (wire == null || !wire.waiting())) {
      if (wire != null) {
        wire.detach();
      }
      legDecided = true;
      return;
    }
    legDecided = true;
    Channel server = ctx.channel();
    if (server.remoteAddress() instanceof InetSocketAddress remote
        && server.localAddress() instanceof InetSocketAddress local) {
      leg = upstreamOf.openUpstream(local, remote, connectedAt);
      if (wire != null) {
        wire.attachTo(leg);
      }
    }
  }

  /**
   * An observed engine no leg took (one inside a TLS upstream proxy's own TLS, or on a socket
   * whose leg is not captured) must not hold its bytes for the connection's life.
   */
  private static void dropUnclaimedWires(ChannelPipeline pipeline) {
    for (java.util.Map.Entry<String, ChannelHandler> entry : pipeline) {
      if (entry.getValue() instanceof SslHandler ssl
          && ssl.engine() instanceof ObservedSslEngine observed && observed.wire() != null
          && observed.wire().waiting()) {
        observed.wire().detach();
      }
    }
  }

  /**
   * A TLS handler was put in front of a server tap whose leg is already open (plain bytes first:
   * an upstream proxy's CONNECT): from now on its engine records the leg, not the tap.
   */
  private void handOverToEngine(ChannelHandlerContext ctx) {
    SslHandler outermost = ctx.pipeline().get(SslHandler.class);
    if (leg != null && outermost != null
        && outermost.engine() instanceof ObservedSslEngine observed && observed.wire() != null) {
      observed.wire().attachTo(leg);
    }
  }

  /** Names the client connection the client channel's leg carries (no leg: nothing to do). */
  static void nameLeg(Channel client, Long connectionId) {
    LegRecorder leg = client.attr(LEG).get();
    if (leg != null && connectionId != null) {
      leg.carries(connectionId);
    }
  }

  private static void install(Channel channel, WireTap tap) {
    channel.attr(TAP).set(tap);
    channel.pipeline().addFirst(NAME, tap);
  }

  /**
   * Who ended the channel's connection, in words for its record: "the client closed it", "the
   * server reset it (RST)", "Plainsight closed it"; null when the channel was not tapped. Right
   * once the channel is closed (its close future done), before its handlers hear of it.
   */
  static String closeReason(Channel channel) {
    WireTap tap = channel.attr(TAP).get();
    if (tap == null) {
      return null;
    }
    String peer = tap.clientLeg ? "the client" : "the server";
    return tap.reset ? peer + " reset it (RST)"
        : tap.closedHere ? "Plainsight closed it" : peer + " closed it";
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf buf && buf.isReadable()) {
      if (!legDecided) {
        decideLeg(ctx);
      }
      record(ctx, clientLeg, buf);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent && !clientLeg) {
      if (legDecided) {
        handOverToEngine(ctx);
      } else {
        decideLeg(ctx);
      }
      dropUnclaimedWires(ctx.pipeline());
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf buf && buf.isReadable()) {
      if (!legDecided) {
        decideLeg(ctx);
      }
      record(ctx, !clientLeg, buf);
      if (!firstWriteSeen && clientLeg) {
        firstWriteSeen = true;
        ChannelPipeline pipeline = ctx.pipeline();
        promise = promise.unvoid();
        promise.addListener(written -> ctx.executor().execute(() -> moveToFront(pipeline)));
      }
    }
    super.write(ctx, msg, promise);
  }

  private void record(ChannelHandlerContext ctx, boolean fromClient, ByteBuf buf) {
    if (leg == null || !clientLeg && behindTls(ctx)) {
      // a server tap behind a TLS handler sees plaintext: the engine records that leg
      return;
    }
    leg.bytes(fromClient, buf.nioBuffer(buf.readerIndex(), buf.readableBytes()));
  }

  /** Whether a TLS handler sits in front of this server tap (once there, it stays). */
  private boolean behindTls(ChannelHandlerContext ctx) {
    if (!tlsInFront && ctx.pipeline().get(SslHandler.class) != null) {
      tlsInFront = true;
    }
    return tlsInFront;
  }

  private void moveToFront(ChannelPipeline pipeline) {
    if (pipeline.get(SslHandler.class) != null && pipeline.first() != this
        && pipeline.get(NAME) == this) {
      pipeline.remove(this);
      pipeline.addFirst(NAME, this);
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    closedHere = true;
    super.close(ctx, promise);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("reset")) {
      reset = true;
    }
    super.exceptionCaught(ctx, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (leg == null) {
      super.channelInactive(ctx);
      return;
    }
    boolean byPeer = !closedHere || reset;
    boolean byClient = clientLeg == byPeer;
    leg.ended(reset ? (byClient ? TcpLeg.Ending.RST_BY_CLIENT : TcpLeg.Ending.RST_BY_SERVER)
        : (byClient ? TcpLeg.Ending.FIN_BY_CLIENT : TcpLeg.Ending.FIN_BY_SERVER));
    if (clientLeg) {
      // kept once its server legs have ended too; a server leg that lingers does not hold it back
      LegRecorder ending = leg;
      ctx.executor().schedule(ending::handOver, HAND_OVER_AFTER_SECONDS, TimeUnit.SECONDS);
    }
    super.channelInactive(ctx);
  }
}
