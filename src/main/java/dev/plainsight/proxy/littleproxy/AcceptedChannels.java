package dev.plainsight.proxy.littleproxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import java.lang.reflect.Field;
import java.util.function.Consumer;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;

/**
 * Hands each client channel LittleProxy accepts to a consumer before LittleProxy sets up its
 * pipeline, so Plainsight can put a handler in front of LittleProxy's. LittleProxy 2.8 offers no
 * such seam (activity trackers get no channel, filters come only after a request head is
 * decoded), so this finds the listening channel in the server's private channel group and adds a
 * handler ahead of Netty's acceptor there. Fails loudly if a LittleProxy upgrade moved it.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.theServerStillKeepsItsListeningChannelInAPrivateGroup}.
 */
final class AcceptedChannels {
  private AcceptedChannels() {}

  static void onAccept(HttpProxyServer server, Consumer<Channel> consumer) {
    listeningChannel(server).pipeline().addFirst("plainsight-accepted",
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
              consumer.accept(child);
            }
            ctx.fireChannelRead(msg);
          }
        });
  }

  private static ServerChannel listeningChannel(HttpProxyServer server) {
    try {
      Field field = DefaultHttpProxyServer.class.getDeclaredField(
          LittleProxyInternals.ALL_CHANNELS_FIELD);
      field.setAccessible(true);
      for (Object channel : (Iterable<?>) field.get(server)) {
        if (channel instanceof ServerChannel listening) {
          return listening;
        }
      }
      throw new IllegalStateException("LittleProxy's server has no listening channel");
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("this LittleProxy version keeps its channels elsewhere: "
          + "Plainsight's client-channel handlers cannot be installed (" + e + ")", e);
    }
  }
}
