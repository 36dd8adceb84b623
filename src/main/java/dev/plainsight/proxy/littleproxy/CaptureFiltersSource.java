package dev.plainsight.proxy.littleproxy;

import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.capture.ClientConnection;
import dev.plainsight.join.Room;
import dev.plainsight.net.Authority;
import dev.plainsight.proxy.ForgedTls;
import dev.plainsight.proxy.policy.Decision;
import dev.plainsight.proxy.policy.Policies;
import dev.plainsight.proxy.policy.Request;
import dev.plainsight.proxy.policy.Verdict;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersSource;

/**
 * Gives LittleProxy a fresh filter per request, chosen by the {@link Policies}' verdict on its
 * head: {@link RefusingFilters} (403), {@link AuthRequiredFilters} (407), {@link ConnectFilters}
 * for a CONNECT (tunnel or intercept), {@link ExchangeFilters} for everything else (with the
 * proxy's own answer when a decider gave one). The order of the checks is the list's, built in
 * {@link Policies#standard}. Buffer sizes are 0 so LittleProxy never aggregates (aggregation
 * would decompress and cap bodies on their way to the client). LittleProxy's own authenticator is
 * not used: it checks once per connection, never says who to the filters, and records nothing.
 */
final class CaptureFiltersSource implements HttpFiltersSource {
  private final Policies policies;
  private final UpstreamFailureRecorder upstreamErrors;
  private final ConnectRegistry registry;
  private final ForgedTls forgedTls;
  private final boolean tapTls;
  private final Room room;
  private final PlainOrigins plainOrigins = new PlainOrigins();

  /** {@code room}: where the dashboard is, for the page a refused dashboard request gets. */
  CaptureFiltersSource(Policies policies, UpstreamFailureRecorder upstreamErrors,
      ConnectRegistry registry, ForgedTls forgedTls, boolean tapTls, Room room) {
    this.policies = policies;
    this.room = room;
    this.upstreamErrors = upstreamErrors;
    this.registry = registry;
    this.forgedTls = forgedTls;
    this.tapTls = tapTls;
  }

  @Override
  public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext ctx) {
    FlushBatching.on(ctx.channel());
    ClientConnection connection = Connections.of(ctx.channel(), policies.recorder());
    Decision decision = policies.decide(head(request, ctx, connection));
    if (decision.admitted() != null) {
      connection.participant(decision.admitted().participant());
    }
    Verdict verdict = decision.verdict();
    if (verdict instanceof Verdict.Refuse refusal) {
      return new RefusingFilters(request, ctx, policies.recorder(), connection.client(),
          refusal.reason());
    }
    if (verdict instanceof Verdict.Challenge challenge) {
      return new AuthRequiredFilters(request, ctx, policies.recorder(), connection.client(),
          challenge.rejection());
    }
    if (HttpMethod.CONNECT.equals(request.method())) {
      return new ConnectFilters(request, ctx, policies, connection,
          !(verdict instanceof Verdict.Tunnel), upstreamErrors, registry, forgedTls::leafFor,
          tapTls, plainOrigins);
    }
    return new ExchangeFilters(request, ctx, policies, connection, upstreamErrors,
        verdict instanceof Verdict.Answer answer ? answer : null, plainOrigins, room);
  }

  /** The request head as the deciders see it, read without changing the request. */
  static Request head(HttpRequest request, ChannelHandlerContext ctx,
      ClientConnection connection) {
    Authority plainTarget = ctx.channel().attr(ConnectFilters.PLAIN_TARGET).get();
    Request.Kind kind = connection.isConnect() ? Request.Kind.DECRYPTED
        : plainTarget != null ? Request.Kind.INSIDE_PLAIN_CONNECT
        : HttpMethod.CONNECT.equals(request.method()) ? Request.Kind.CONNECT
        : Request.Kind.PLAIN;
    String host = null;
    int port = 0;
    String path = request.uri();
    if (kind == Request.Kind.CONNECT) {
      try {
        Authority target = Authority.parseConnectTarget(request.uri());
        host = target.host();
        port = target.port();
      } catch (IllegalArgumentException malformed) {
        // ConnectFilters refuses it with a 400
      }
    } else if (kind == Request.Kind.DECRYPTED) {
      host = connection.connectHost();
      port = connection.connectPort();
    } else {
      String uri = plainTarget != null && request.uri().startsWith("/")
          ? "http://" + plainTarget.hostPort() + request.uri() : request.uri();
      ClientTarget target = ClientTarget.of(uri, request.headers().get(HttpHeaderNames.HOST));
      host = target.hostName();
      port = target.port();
      path = target instanceof ClientTarget.Absolute absolute
          ? absolute.target().pathAndQuery() : uri;
    }
    InetSocketAddress client = ctx.channel().remoteAddress() instanceof InetSocketAddress inet
        ? inet : null;
    return new Request(kind, request.method().name(), host, port, path,
        client == null ? null : client.getAddress(),
        (InetSocketAddress) ctx.channel().localAddress(),
        request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION));
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
