package dev.plainsight.proxy.littleproxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import java.util.concurrent.TimeUnit;
import org.littleshoot.proxy.TransportProtocol;
import org.littleshoot.proxy.impl.ServerGroup;

/**
 * LittleProxy's thread pools with one set of I/O loops for both sides: a client's connection and
 * the connections to servers it causes share a loop ({@link CallerLoopChooser}), so forwarding is a
 * direct call instead of a task handed to another thread. One loop per core; LittleProxy's own
 * acceptor loop is kept. Each channel registered on them is shown to {@link UpstreamChannels}
 * first. Shut down with the proxy.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.aServerConnectionStillGetsAnotherEventLoopThanItsClient}.
 */
final class SharedLoops extends ServerGroup {
  private final EventLoopGroup workers;

  SharedLoops(String name, int loops) {
    super(name, 1, 1, 1);
    this.workers = new MultiThreadIoEventLoopGroup(loops,
        new ThreadPerTaskExecutor(new DefaultThreadFactory(name + "-io")),
        new CallerLoopChooser(), NioIoHandler.newFactory()) {
      @Override
      public ChannelFuture register(Channel channel) {
        UpstreamChannels.registered(channel);
        return super.register(channel);
      }
    };
  }

  @Override
  public EventLoopGroup getClientToProxyWorkerPoolForTransport(TransportProtocol protocol) {
    return workers;
  }

  @Override
  public EventLoopGroup getProxyToServerWorkerPoolForTransport(TransportProtocol protocol) {
    return workers;
  }

  @Override
  public void shutdown(boolean graceful) {
    super.shutdown(graceful);
    if (graceful) {
      workers.shutdownGracefully().awaitUninterruptibly(60, TimeUnit.SECONDS);
    } else {
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }
}
