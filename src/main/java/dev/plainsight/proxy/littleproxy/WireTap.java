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

/**
 * Copies the bytes that cross one socket into a {@link LegRecorder} (for the packet captures),
 * first in the pipeline so it sees the wire bytes; it never modifies, delays or releases them.
 * LittleProxy puts its {@code ssl} handler first after the proxy's first answer (the CONNECT's
 * 200): once that write is done the tap moves back in front. The end is noted as a FIN by
 * whichever side closed first, or an RST when a read failed with "Connection reset".
 */
@ChannelHandler.Sharable
final class WireTap extends ChannelDuplexHandler {
  static final String NAME = "plainsight-wire";
  private static final AttributeKey<LegRecorder> LEG = AttributeKey.valueOf("plainsight.leg");

  private final LegRecorder leg;
  private final boolean clientLeg;
  private boolean firstWriteSeen;
  private boolean closedHere;
  private boolean reset;

  private WireTap(LegRecorder leg, boolean clientLeg) {
    this.leg = leg;
    this.clientLeg = clientLeg;
  }

  /** Taps a client channel as it is accepted. */
  static void onClient(Channel channel, LegIndex index) {
    if (!index.isOn() || !(channel.remoteAddress() instanceof InetSocketAddress remote)
        || !(channel.localAddress() instanceof InetSocketAddress local)) {
      return;
    }
    LegRecorder leg = index.openClient(remote, local);
    channel.attr(LEG).set(leg);
    channel.pipeline().addFirst(NAME, new WireTap(leg, true));
  }

  /**
   * Taps a server channel LittleProxy connected for {@code client}, when it carries no TLS handler
   * yet (an intercepted upstream's handshake is over by then, and a leg without its ClientHello
   * cannot be decrypted: it is left out).
   */
  static void onServer(Channel server, Channel client) {
    LegRecorder clientLeg = client.attr(LEG).get();
    if (clientLeg == null || server.pipeline().get(NAME) != null
        || server.pipeline().get(SslHandler.class) != null
        || !(server.remoteAddress() instanceof InetSocketAddress remote)
        || !(server.localAddress() instanceof InetSocketAddress local)) {
      return;
    }
    LegRecorder leg = clientLeg.openUpstream(local, remote);
    server.pipeline().addFirst(NAME, new WireTap(leg, false));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf buf && buf.isReadable()) {
      record(clientLeg, buf);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf buf && buf.isReadable()) {
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
    boolean byPeer = !closedHere || reset;
    boolean byClient = clientLeg == byPeer;
    leg.ended(reset ? (byClient ? TcpLeg.Ending.RST_BY_CLIENT : TcpLeg.Ending.RST_BY_SERVER)
        : (byClient ? TcpLeg.Ending.FIN_BY_CLIENT : TcpLeg.Ending.FIN_BY_SERVER));
    super.channelInactive(ctx);
  }
}
