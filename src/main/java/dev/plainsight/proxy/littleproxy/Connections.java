package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * Attaches one {@link ClientConnection} to each client channel, and records the flow the connection
 * leaves behind when the channel closes, with who closed it ({@link WireTap#closeReason}); tells
 * the connection when one of its server connections closes, and why.
 */
final class Connections {
  private static final AttributeKey<ClientConnection> KEY =
      AttributeKey.valueOf("plainsight.connection");
  private static final AttributeKey<Boolean> WATCHED =
      AttributeKey.valueOf("plainsight.upstream-watched");

  private Connections() {}

  static ClientConnection of(Channel channel, FlowRecorder recorder) {
    ClientConnection existing = channel.attr(KEY).get();
    if (existing != null) {
      return existing;
    }
    ClientConnection created = recorder.open(channel.remoteAddress());
    if (channel.attr(KEY).setIfAbsent(created) != null) {
      return channel.attr(KEY).get();
    }
    WireTap.nameLeg(channel, created.id());
    Runnable recordLeftBehind = () -> recorder.closed(created, reasonOf(channel));
    channel.closeFuture().addListener(closed -> afterCurrentTask(channel, recordLeftBehind));
    return created;
  }

  /**
   * Watches a server connection LittleProxy opened for {@code connection} (once per channel), so
   * its leg of the record says when and why it closed.
   */
  static void watchUpstream(Channel server, ClientConnection connection, FlowRecorder recorder) {
    if (!(server.localAddress() instanceof InetSocketAddress local)
        || server.attr(WATCHED).setIfAbsent(Boolean.TRUE) != null) {
      return;
    }
    server.closeFuture().addListener(closed -> afterCurrentTask(server,
        () -> recorder.upstreamClosed(connection, local.getPort(), reasonOf(server))));
  }

  private static String reasonOf(Channel channel) {
    String reason = WireTap.closeReason(channel);
    return reason != null ? reason : "the connection closed";
  }

  /**
   * Runs {@code action} once the loop's current task is over: a TLS handler closes the channel
   * while failing a handshake and only then says why, and that reason belongs in the flow.
   */
  private static void afterCurrentTask(Channel channel, Runnable action) {
    try {
      channel.eventLoop().execute(action);
    } catch (RejectedExecutionException shuttingDown) {
      action.run();
    }
  }
}
