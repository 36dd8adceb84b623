package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.ClientConnection;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops what a server sends with no request outstanding and closes that server connection.
 * LittleProxy keeps one server connection per host:port per client connection and relays whatever
 * arrives on it, so a response an origin sends unasked would be delivered as the answer to the
 * client's next request, even one to another host (cross-origin response injection). Sits right
 * after LittleProxy's response decoder (after its upstream {@code ssl} for an intercepted CONNECT),
 * so it sees request heads written and decoded responses read; the accounting is {@link
 * ResponseLedger}. Order of calls: {@link #on} when the server connection is up; on the first
 * unasked object, one log line, {@code whenUnsolicited} with the reason, then the close.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.aResponseNobodyAskedForStillAnswersTheNextRequest}.
 */
final class UnsolicitedGuard extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(UnsolicitedGuard.class);
  static final String NAME = "plainsight-unsolicited-guard";

  private final ResponseLedger ledger = new ResponseLedger();
  private final String server;
  private final Consumer<String> whenUnsolicited;
  private boolean reported;

  UnsolicitedGuard(String server, Consumer<String> whenUnsolicited) {
    this.server = server;
    this.whenUnsolicited = whenUnsolicited;
  }

  /** Guards a new server connection to {@code server} ("host:port"); once per connection. */
  static void on(Channel serverChannel, String server, Consumer<String> whenUnsolicited) {
    if (serverChannel.pipeline().get(NAME) == null
        && serverChannel.pipeline().get(LittleProxyInternals.DECODER) != null) {
      serverChannel.pipeline().addAfter(LittleProxyInternals.DECODER, NAME,
          new UnsolicitedGuard(server, whenUnsolicited));
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpRequest request) {
      ledger.sent(request);
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject object) || ledger.read(object)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    if (!reported) {
      reported = true;
      String reason = "the server " + server + " sent a response with no request outstanding;"
          + " dropped, server connection closed";
      LOG.warn("{}", reason);
      whenUnsolicited.accept(reason);
      ctx.channel().close();
    }
  }

  /** The error flow that notes the drop, for the client connection that held the server's. */
  static FlowBuilder errorFlow(String reason, ClientConnection connection, String host, int port) {
    return new FlowBuilder()
        .kind(FlowKind.ERROR)
        .startedAt(Instant.now())
        .client(connection.client())
        .host(host)
        .port(port)
        .error(reason)
        .participant(connection.participant());
  }
}
