package dev.plainsight.proxy;

import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.PassthroughPolicy;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersSource;

/**
 * Gives LittleProxy a fresh filter per request: {@link ConnectFilters} for a CONNECT, {@link
 * ExchangeFilters} for everything else. Buffer sizes are 0 so LittleProxy never aggregates
 * (aggregation would decompress and cap bodies on their way to the client).
 */
final class CaptureFiltersSource implements HttpFiltersSource {
  private final FlowRecorder recorder;
  private final PassthroughPolicy passthrough;
  private final LoopGuard loopGuard;
  private final UpstreamFailureRecorder upstreamErrors;
  private final ConnectRegistry registry;
  private final ClientAddressPolicy clients;
  private final MagicHost magicHost;
  private final ForgedTls forgedTls;
  private final boolean tapTls;
  private final PlainOrigins plainOrigins = new PlainOrigins();

  CaptureFiltersSource(FlowRecorder recorder, PassthroughPolicy passthrough, LoopGuard loopGuard,
      UpstreamFailureRecorder upstreamErrors, ConnectRegistry registry,
      ClientAddressPolicy clients, MagicHost magicHost, ForgedTls forgedTls, boolean tapTls) {
    this.recorder = recorder;
    this.passthrough = passthrough;
    this.loopGuard = loopGuard;
    this.upstreamErrors = upstreamErrors;
    this.registry = registry;
    this.clients = clients;
    this.magicHost = magicHost;
    this.forgedTls = forgedTls;
    this.tapTls = tapTls;
  }

  @Override
  public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext ctx) {
    ClientConnection connection = Connections.of(ctx.channel(), recorder);
    if (!clients.allows(ctx.channel().remoteAddress())) {
      return new RefusingFilters(request, ctx, recorder, connection.client(),
          "refused: Plainsight serves only clients on this machine or a private network "
              + "(start it with --allow-public to serve others)");
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      return new ConnectFilters(request, ctx, recorder, connection, passthrough, loopGuard,
          upstreamErrors, registry, forgedTls::leafFor, tapTls, plainOrigins);
    }
    return new ExchangeFilters(request, ctx, recorder, connection, loopGuard, upstreamErrors,
        magicHost, plainOrigins);
  }

  @Override
  public int getMaximumRequestBufferSizeInBytes() {
    return 0;
  }

  @Override
  public int getMaximumResponseBufferSizeInBytes() {
    return 0;
  }
}
