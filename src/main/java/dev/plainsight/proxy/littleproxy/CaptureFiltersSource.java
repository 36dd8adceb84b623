package dev.plainsight.proxy.littleproxy;

import dev.plainsight.proxy.ForgedTls;
import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.PassthroughPolicy;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.net.Destinations;
import dev.plainsight.tamper.TamperRules;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersSource;

/**
 * Gives LittleProxy a fresh filter per request: {@link ConnectFilters} for a CONNECT, {@link
 * ExchangeFilters} for everything else. Buffer sizes are 0 so LittleProxy never aggregates
 * (aggregation would decompress and cap bodies on their way to the client).
 *
 * <p>Order of checks: the client address policy, then proxy authentication ({@link ProxyAuth};
 * a CONNECT or a plain request must carry credentials, requests inside an intercepted CONNECT
 * inherit its participant). The magic host answers without credentials: it serves only public
 * things (the CA certificate, the PAC file), which a participant needs before anything else.
 * LittleProxy's own authenticator is not used: it checks once per connection, never says who to
 * the filters, and records nothing.
 */
final class CaptureFiltersSource implements HttpFiltersSource {
  private final FlowRecorder recorder;
  private final PassthroughPolicy passthrough;
  private final Destinations destinations;
  private final UpstreamFailureRecorder upstreamErrors;
  private final ConnectRegistry registry;
  private final ClientAddressPolicy clients;
  private final MagicHost magicHost;
  private final ForgedTls forgedTls;
  private final boolean tapTls;
  private final ProxyAuth auth;
  private final TamperRules tamperRules;
  private final PlainOrigins plainOrigins = new PlainOrigins();

  CaptureFiltersSource(FlowRecorder recorder, PassthroughPolicy passthrough, Destinations destinations,
      UpstreamFailureRecorder upstreamErrors, ConnectRegistry registry,
      ClientAddressPolicy clients, MagicHost magicHost, ForgedTls forgedTls, boolean tapTls,
      ProxyAuth auth, TamperRules tamperRules) {
    this.recorder = recorder;
    this.passthrough = passthrough;
    this.destinations = destinations;
    this.upstreamErrors = upstreamErrors;
    this.registry = registry;
    this.clients = clients;
    this.magicHost = magicHost;
    this.forgedTls = forgedTls;
    this.tapTls = tapTls;
    this.auth = auth;
    this.tamperRules = tamperRules;
  }

  @Override
  public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext ctx) {
    FlushBatching.on(ctx.channel());
    ClientConnection connection = Connections.of(ctx.channel(), recorder);
    if (!clients.allows(ctx.channel().remoteAddress())) {
      return new RefusingFilters(request, ctx, recorder, connection.client(),
          "refused: Plainsight serves only clients on this machine or a private network "
              + "(start it with --allow-public to serve others)");
    }
    if (!connection.isConnect() && !answeredAsPlainConnect(ctx)) {
      ProxyAuth.Outcome outcome =
          auth.check(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
      if (outcome instanceof ProxyAuth.Accepted accepted) {
        connection.participant(accepted.participant());
      } else if (HttpMethod.CONNECT.equals(request.method()) || !forMagicHost(request)) {
        return new AuthRequiredFilters(request, ctx, recorder, connection.client(),
            outcome instanceof ProxyAuth.Rejected rejected ? rejected.reason() : null);
      }
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      return new ConnectFilters(request, ctx, recorder, connection, passthrough, destinations,
          upstreamErrors, registry, forgedTls::leafFor, tapTls, plainOrigins);
    }
    return new ExchangeFilters(request, ctx, recorder, connection, destinations, upstreamErrors,
        magicHost, tamperRules, plainOrigins);
  }

  /**
   * True inside a CONNECT the proxy answered itself as plain HTTP (the {@code ws://} path): its
   * requests belong to the CONNECT, which carried the credentials; a browser never repeats
   * {@code Proxy-Authorization} inside a tunnel.
   */
  private static boolean answeredAsPlainConnect(ChannelHandlerContext ctx) {
    return ctx.channel().attr(ConnectFilters.PLAIN_TARGET).get() != null;
  }

  private static boolean forMagicHost(HttpRequest request) {
    return MagicHost.isFor(ClientTarget.of(request).hostName());
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
