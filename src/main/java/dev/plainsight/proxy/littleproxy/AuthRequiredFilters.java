package dev.plainsight.proxy.littleproxy;

import dev.plainsight.net.Authority;
import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.capture.ProxyAuth;
import dev.plainsight.flow.FlowBuilder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request without good proxy credentials ({@code --proxy-auth}) with 407 and a Basic
 * challenge, and closes the connection (the client retries with credentials on a new one).
 * Missing credentials are the normal first step of a browser: one log line, no flow. Rejected
 * credentials (wrong room password, a name that breaks the rule) become an error flow, so the
 * trainer sees who is stuck; neither ever records the credentials.
 *
 * <p>The 407 is written here, not returned to LittleProxy: LittleProxy 2.8 treats a 407
 * short-circuit response as an upstream proxy's (it dereferences the absent server connection)
 * and would strip {@code Proxy-Authenticate} as hop-by-hop. So {@link #proxyToClientResponse}
 * writes the challenge itself and returns null, and LittleProxy closes the connection after it.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.a407ReturnedByAFilterStillLosesItsChallenge}.
 */
final class AuthRequiredFilters extends HttpFiltersAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(AuthRequiredFilters.class);

  private final FlowRecorder recorder;
  private final String client;
  private final String rejection;

  /** {@code rejection} is why the credentials failed, or null when there were none. */
  AuthRequiredFilters(HttpRequest request, ChannelHandlerContext ctx, FlowRecorder recorder,
      String client, String rejection) {
    super(request, ctx);
    this.recorder = recorder;
    this.client = client;
    this.rejection = rejection;
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (httpObject instanceof HttpRequest request) {
      if (rejection == null) {
        LOG.info("407 to {}: no proxy credentials yet (the browser asks for name and room "
            + "password)", client);
      } else {
        record(request);
      }
    }
    return challenge();
  }

  @Override
  public HttpObject proxyToClientResponse(HttpObject httpObject) {
    ctx.channel().writeAndFlush(challenge());
    return null;
  }

  private void record(HttpRequest request) {
    boolean connect = HttpMethod.CONNECT.equals(request.method());
    FlowBuilder flow = RefusingFilters.refusal(request, client,
        HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
        "proxy authentication failed: " + rejection);
    if (connect) {
      try {
        Authority target = Authority.parseConnectTarget(request.uri());
        flow.host(target.host()).port(target.port());
      } catch (IllegalArgumentException badTarget) {
        // recorded without a target
      }
    }
    recorder.record(flow);
  }

  static FullHttpResponse challenge() {
    FullHttpResponse response = Responses.text(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
        "Plainsight needs your name and the room password: use your name as the proxy user "
            + "name and the password your trainer gave you", true);
    response.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE,
        "Basic realm=\"" + ProxyAuth.REALM + "\", charset=\"UTF-8\"");
    return response;
  }
}
