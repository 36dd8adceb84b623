package dev.plainsight.proxy.littleproxy;

/**
 * LittleProxy's private names and message texts that Plainsight's workarounds depend on, each in
 * this one class with where it comes from in LittleProxy 2.8.0's source (paths under
 * {@code src/main/java/org/littleshoot/proxy/}). Nothing else in Plainsight spells them. The
 * canary tests ({@code littleproxy.canary}) check on a plain LittleProxy that each is still true,
 * so an upgrade that renames one fails there first, by name.
 */
final class LittleProxyInternals {
  private LittleProxyInternals() {}

  /**
   * The HTTP decoder, client and server side: {@code HTTP_DECODER_NAME} in {@code
   * impl/ClientToProxyConnection.java} and {@code impl/ProxyToServerConnection.java}; {@code
   * impl/ProxyConnection.java} removes it by this name when a tunnel or a WebSocket starts.
   */
  static final String DECODER = "decoder";

  /** The HTTP encoder: {@code HTTP_ENCODER_NAME} in the same two classes. */
  static final String ENCODER = "encoder";

  /**
   * LittleProxy's own connection handler, last in the pipeline: {@code MAIN_HANDLER_NAME} in
   * {@code impl/ClientToProxyConnection.java} and {@code impl/ProxyToServerConnection.java}.
   */
  static final String HANDLER = "handler";

  /**
   * The TLS handler LittleProxy puts first in a pipeline when it starts TLS (the client side of an
   * intercepted CONNECT): {@code ProxyConnection.encrypt}, in {@code impl/ProxyConnection.java}
   * ({@code pipeline.addFirst("ssl", handler)}).
   */
  static final String SSL = "ssl";

  /**
   * The private {@code ChannelGroup} of every channel a server opened, its listening channel
   * first among them: the field {@code allChannels} of {@code impl/DefaultHttpProxyServer.java}.
   */
  static final String ALL_CHANNELS_FIELD = "allChannels";

  /**
   * The body of the 502 LittleProxy substitutes for a server response it cannot decode: {@code
   * ProxyToServerConnection.respondWith}'s "substitute" Bad Gateway in {@code
   * impl/ProxyToServerConnection.java}.
   */
  static final String UNPARSEABLE_RESPONSE_BODY = "Unable to parse response from server";
}
