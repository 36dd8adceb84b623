package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.flow.FlowBuilder;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * Attaches one {@link ClientConnection} to each client channel, and records the flow the connection
 * leaves behind when the channel closes.
 */
final class Connections {
  private static final AttributeKey<ClientConnection> KEY =
      AttributeKey.valueOf("plainsight.connection");

  private Connections() {}

  static ClientConnection of(Channel channel, FlowRecorder recorder) {
    ClientConnection existing = channel.attr(KEY).get();
    if (existing != null) {
      return existing;
    }
    ClientConnection created = new ClientConnection(describe(channel.remoteAddress()));
    if (channel.attr(KEY).setIfAbsent(created) != null) {
      return channel.attr(KEY).get();
    }
    Runnable recordLeftBehind = () -> {
      FlowBuilder leftBehind = created.closed();
      if (leftBehind != null) {
        recorder.record(leftBehind);
      }
    };
    channel.closeFuture().addListener(closed -> afterCurrentTask(channel, recordLeftBehind));
    return created;
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

  private static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }
}
