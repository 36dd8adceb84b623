package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.Certificates;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.flow.CertificateSummary;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSession;

/**
 * Watches the raw bytes of a CONNECT's client channel, before any TLS handler, and hands copies to
 * the {@link ClientConnection}; the bytes themselves pass on untouched and undelayed. The first
 * outbound message is the proxy's own answer to the CONNECT and is not TLS, so it is skipped.
 * When intercepting, LittleProxy puts its {@code ssl} handler in front of everything after that
 * answer is written; the tap then moves back to the front to keep seeing ciphertext, and follows
 * the client handshake's outcome. With {@code observeBytes} false it only follows the handshake
 * (to measure what watching the records costs).
 */
@ChannelHandler.Sharable
final class RawTap extends ChannelDuplexHandler {
  private final ClientConnection connection;
  private final boolean observeBytes;
  private boolean connectAnswered;
  private volatile ChannelPipeline pipeline;

  RawTap(ClientConnection connection, boolean observeBytes) {
    this.connection = connection;
    this.observeBytes = observeBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (observeBytes && msg instanceof ByteBuf buf && buf.isReadable()) {
      connection.bytesFromClient(buf.nioBuffer(buf.readerIndex(), buf.readableBytes()));
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf buf && buf.isReadable()) {
      if (!connectAnswered) {
        connectAnswered = true;
        if (connection.intercepted()) {
          promise = promise.unvoid();
          promise.addListener(written -> ctx.executor().execute(this::watchClientHandshake));
        }
      } else if (observeBytes) {
        connection.bytesToClient(buf.nioBuffer(buf.readerIndex(), buf.readableBytes()));
      }
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    pipeline = ctx.pipeline();
  }

  private void watchClientHandshake() {
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (ssl == null) {
      return;
    }
    if (pipeline.first() != this) {
      pipeline.remove(this);
      pipeline.addFirst(ConnectFilters.TAP_NAME, this);
    }
    connection.clientHandshakeStarted();
    ssl.handshakeFuture().addListener(done -> {
      if (done.isSuccess()) {
        SSLSession session = ssl.engine().getSession();
        connection.clientHandshakeSucceeded(session.getProtocol(), session.getCipherSuite(),
            emptyToNull(ssl.applicationProtocol()), forgedLeaf(session));
      } else {
        connection.clientHandshakeFailed(String.valueOf(done.cause().getMessage()));
      }
    });
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static CertificateSummary forgedLeaf(SSLSession session) {
    Certificate[] local = session.getLocalCertificates();
    if (local != null && local.length > 0 && local[0] instanceof X509Certificate leaf) {
      return Certificates.summarize(leaf);
    }
    return null;
  }
}
