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
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches one socket from the head of its pipeline: who ended it ({@link #closeReason}: the peer
 * closed it, the peer reset it, or Plainsight closed it; every close Plainsight or LittleProxy
 * asks for, the TLS handler's own included, passes through the head, while a peer's FIN or RST
 * closes the channel without passing through it) and, when packet capture is on, the bytes that
 * cross it, copied into a {@link LegRecorder}; it never modifies, delays or releases them.
 * Installed on every client channel as it is accepted and on every server channel as it is
 * registered ({@link UpstreamChannels}; {@link #onServer} once connected, for any it missed). LittleProxy puts its {@code ssl} handler first after the proxy's first answer (the
 * CONNECT's 200): once that write is done the tap moves back in front.
 */
@ChannelHandler.Sharable
final class WireTap extends ChannelDuplexHandler {
  static final String NAME = "plainsight-wire";
  private static final AttributeKey<LegRecorder> LEG = AttributeKey.valueOf("plainsight.leg");
  private static final AttributeKey<WireTap> TAP = AttributeKey.valueOf("plainsight.wire-tap");

  /** Null: packet capture is off, or this leg cannot be captured. */
  private LegRecorder leg;
  private final boolean clientLeg;
  /** A server tap made at registration ({@link #forUpstream}): its client, told once connected. */
  private Channel client;
  private Consumer<Channel> whenConnected;
  /** The client's leg whose server leg opens at the first byte ({@link #openLegAtFirstByte}). */
  private LegRecorder upstreamOf;
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
    whenConnected.accept(server);
  }

  /**
   * A server leg registered early is opened at its first byte, and only when no TLS handler sits
   * before the tap (a tunnel, plain HTTP): LittleProxy puts an intercepted upstream's TLS handler
   * first, whose handshake then bypasses the tap, and a leg without it cannot be decrypted.
   */
  private void openLegAtFirstByte(ChannelHandlerContext ctx) {
    LegRecorder upstream = upstreamOf;
    upstreamOf = null;
    Channel server = ctx.channel();
    if (!behindTls(ctx) && server.remoteAddress() instanceof InetSocketAddress remote
        && server.localAddress() instanceof InetSocketAddress local) {
      leg = upstream.openUpstream(local, remote);
    }
  }

  private boolean behindTls(ChannelHandlerContext ctx) {
    for (Map.Entry<String, ChannelHandler> entry : ctx.pipeline()) {
      if (entry.getValue() == this) {
        return false;
      }
      if (entry.getValue() instanceof SslHandler) {
        return true;
      }
    }
    return false;
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
      if (upstreamOf != null) {
        openLegAtFirstByte(ctx);
      }
      record(clientLeg, buf);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf buf && buf.isReadable()) {
      if (upstreamOf != null) {
        openLegAtFirstByte(ctx);
      }
      record(!clientLeg, buf);
      if (!firstWriteSeen && clientLeg) {
        firstWriteSeen = true;
        ChannelPipeline pipeline = ctx.pipeline();
        promise = promise.unvoid();
        promise.addListener(written -> ctx.executor().execute(() -> moveToFront(pipeline)));
      }
    }
    super.write(ctx, msg, promise);
  }

  private void record(boolean fromClient, ByteBuf buf) {
    if (leg == null) {
      return;
    }
    leg.bytes(fromClient, buf.nioBuffer(buf.readerIndex(), buf.readableBytes()));
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
    super.channelInactive(ctx);
  }
}
