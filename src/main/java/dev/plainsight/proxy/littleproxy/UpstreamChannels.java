package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import io.netty.channel.Channel;

/**
 * Hands each server connection LittleProxy opens to the client connection it is opened for, as
 * its channel is registered, before it connects: LittleProxy tells its filters of a server
 * channel only once connected (and, for an intercepted CONNECT, after the TLS handshake, whose
 * first bytes are then gone), and never for a tunnel. The filter's {@code
 * proxyToServerConnectionStarted} names the client ({@link #opening}) on the client's loop;
 * LittleProxy then registers the server channel on that same thread ({@link SharedLoops} calls
 * {@link #registered}), which takes the name. The channel gets its {@link WireTap} at once; once
 * connected it becomes a leg of the client's record, watched until it closes.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.aTunnelsServerChannelIsRegisteredWhileItsFilterStarts}.
 */
final class UpstreamChannels {
  private record Opening(Channel client, ClientConnection connection, FlowRecorder recorder,
      Runnable connected) {}

  private static final ThreadLocal<Opening> OPENING = new ThreadLocal<>();

  private UpstreamChannels() {}

  /**
   * From a filter's {@code proxyToServerConnectionStarted}: a server connection opens now;
   * {@code connected} runs once it has connected.
   */
  static void opening(Channel client, ClientConnection connection, FlowRecorder recorder,
      Runnable connected) {
    Opening opening = new Opening(client, connection, recorder, connected);
    OPENING.set(opening);
    if (client.eventLoop().inEventLoop()) {
      // LittleProxy registers in this same task; a name no channel took must not reach the
      // loop's next task, another client's
      client.eventLoop().execute(() -> {
        if (OPENING.get() == opening) {
          OPENING.remove();
        }
      });
    } else {
      OPENING.remove();
    }
  }

  /** From the loops' registration: {@code channel} is being registered on this thread. */
  static void registered(Channel channel) {
    Opening opening = OPENING.get();
    if (opening == null || channel.parent() != null) {
      return;
    }
    OPENING.remove();
    WireTap.forUpstream(channel, opening.client(), connected -> {
      opening.connected().run();
      opening.connection().upstreamOpened(connected);
      Connections.watchUpstream(connected, opening.connection(), opening.recorder());
    });
  }
}
