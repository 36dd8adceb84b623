package dev.plainsight.proxy;

import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.flow.FlowBuilder;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

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
    channel.closeFuture().addListener(closed -> {
      FlowBuilder leftBehind = created.closed();
      if (leftBehind != null) {
        recorder.record(leftBehind);
      }
    });
    return created;
  }

  private static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }
}
