package dev.plainsight.proxy.littleproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.plainsight.pcap.LegIndex;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Who ended a connection, as {@link WireTap} at the head of the pipeline tells it, without
 * sockets: a close asked for by a handler (Plainsight's, LittleProxy's, the TLS handler's) passes
 * through the head; a peer's FIN closes the channel from below without it; a reset arrives as the
 * read's "Connection reset" first.
 */
class WireTapCloseTest {
  /** Stands for the handlers behind the tap: the TLS handler closing on a failed handshake. */
  private static final class ClosingHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      ctx.close();
    }
  }

  private static EmbeddedChannel tapped() {
    EmbeddedChannel channel = new EmbeddedChannel(new ClosingHandler());
    WireTap.onClient(channel, LegIndex.off());
    return channel;
  }

  @Test
  void aCloseAskedForBehindTheTapIsPlainsights() {
    EmbeddedChannel channel = tapped();
    channel.pipeline().fireUserEventTriggered("handshake failed");
    assertEquals(false, channel.isOpen());
    assertEquals("Plainsight closed it", WireTap.closeReason(channel));
  }

  @Test
  void aChannelClosedFromBelowWasClosedByThePeer() {
    EmbeddedChannel channel = tapped();
    channel.unsafe().close(channel.voidPromise()); // as Netty does when a read returns -1
    assertEquals("the client closed it", WireTap.closeReason(channel));
  }

  @Test
  void aReadThatFailedWithAResetWasResetByThePeer() {
    EmbeddedChannel channel = tapped();
    channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
    channel.unsafe().close(channel.voidPromise());
    assertEquals("the client reset it (RST)", WireTap.closeReason(channel));
  }

  @Test
  void aServerChannelNamesTheServer() {
    EmbeddedChannel client = tapped();
    EmbeddedChannel server = new EmbeddedChannel();
    WireTap.onServer(server, client);
    server.unsafe().close(server.voidPromise());
    assertEquals("the server closed it", WireTap.closeReason(server));
    assertNull(WireTap.closeReason(new EmbeddedChannel()), "an untapped channel: not known");
  }
}
