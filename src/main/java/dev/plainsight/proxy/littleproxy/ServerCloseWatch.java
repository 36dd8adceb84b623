package dev.plainsight.proxy.littleproxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AttributeKey;

/**
 * Notices a server connection that closes while a request sent on it still waits for the first
 * byte of its answer. For plain HTTP, LittleProxy keeps the client's connection open when its
 * server connection ends and tells no one, so that client used to wait for its own timeout; it
 * happens whenever an origin closes a kept-alive connection just as the next request goes out.
 * Inside an intercepted CONNECT, LittleProxy closes the client with its server, and the exchange
 * would otherwise be recorded as the client's doing. Order of calls: {@link #on} when a server
 * connection is up; per exchange {@link #awaitAnswer} once its request is sent and {@link
 * #answered} when a response (or the proxy's own error) starts; if the server channel closes in
 * between, the exchange's {@code whenLost} runs on the loop right after LittleProxy has handled
 * the close (before the client's own close is reported), so a request handed back with {@link
 * #resend} opens a new connection. Client and server share one event loop ({@link SharedLoops}).
 *
 * <p>Canary: {@code
 * LittleProxyCanaryTest.aServerThatClosesBeforeAnsweringStillLeavesThePlainClientWaiting}.
 */
final class ServerCloseWatch extends ChannelInboundHandlerAdapter {
  private static final String NAME = "plainsight-server-close-watch";
  private static final AttributeKey<Awaiting> AWAITING =
      AttributeKey.valueOf("plainsight.awaiting-answer");
  private static final AttributeKey<Boolean> RESENT =
      AttributeKey.valueOf("plainsight.request-resent");

  /** The client's request that went to {@code server} ("host:port") and has no answer yet. */
  private record Awaiting(String server, Runnable whenLost) {}

  private final Channel client;
  private final String server;

  private ServerCloseWatch(Channel client, String server) {
    this.client = client;
    this.server = server;
  }

  /** How a watch and an exchange name their server. */
  static String server(String host, int port) {
    return host + ":" + port;
  }

  /** Watches a new server connection, opened for {@code client} to {@code server}. */
  static void on(Channel serverChannel, Channel client, String server) {
    if (serverChannel.pipeline().get(NAME) == null) {
      serverChannel.pipeline().addFirst(NAME, new ServerCloseWatch(client, server));
    }
  }

  static void awaitAnswer(Channel client, String server, Runnable whenLost) {
    client.attr(AWAITING).set(new Awaiting(server, whenLost));
  }

  static void answered(Channel client) {
    client.attr(AWAITING).set(null);
  }

  /** Queues the check before LittleProxy hears of the close: its closing the client queues more. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    client.eventLoop().execute(() -> {
      Awaiting awaiting = client.attr(AWAITING).get();
      if (awaiting != null && awaiting.server().equals(server)
          && client.attr(AWAITING).compareAndSet(awaiting, null)) {
        awaiting.whenLost().run();
      }
    });
    ctx.fireChannelInactive();
  }

  /** GET, HEAD or OPTIONS with no body: sending it twice is what HTTP allows a client to do. */
  static boolean canResend(HttpRequest request) {
    HttpMethod method = request.method();
    return (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
        || HttpMethod.OPTIONS.equals(method))
        && !HttpUtil.isTransferEncodingChunked(request)
        && HttpUtil.getContentLength(request, 0L) == 0;
  }

  /**
   * Hands LittleProxy the request head again, as if the client had sent it once more (it
   * reconnects the closed server connection); the exchange it starts learns so from {@link
   * #takeResent}.
   */
  static void resend(Channel client, HttpRequest request) {
    ChannelHandlerContext littleProxy =
        client.pipeline().context(LittleProxyInternals.HANDLER);
    if (littleProxy == null) {
      return;
    }
    FullHttpRequest again = new DefaultFullHttpRequest(request.protocolVersion(),
        request.method(), request.uri(), Unpooled.EMPTY_BUFFER);
    again.headers().set(request.headers());
    client.attr(RESENT).set(Boolean.TRUE);
    try {
      ((ChannelInboundHandler) littleProxy.handler()).channelRead(littleProxy, again);
    } catch (Exception e) {
      littleProxy.fireExceptionCaught(e);
    } finally {
      client.attr(RESENT).set(null);
    }
  }

  /** Whether the exchange starting now on this client is a request {@link #resend} sent again. */
  static boolean takeResent(Channel client) {
    return client.attr(RESENT).getAndSet(null) != null;
  }
}
