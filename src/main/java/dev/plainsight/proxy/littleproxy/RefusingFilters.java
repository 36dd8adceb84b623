package dev.plainsight.proxy.littleproxy;

import dev.plainsight.capture.FlowRecorder;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.littleshoot.proxy.HttpFiltersAdapter;

/** Answers a client the proxy will not serve with a 403 that says why, and records it. */
final class RefusingFilters extends HttpFiltersAdapter {
  private final FlowRecorder recorder;
  private final String client;
  private final String reason;

  RefusingFilters(HttpRequest request, ChannelHandlerContext ctx, FlowRecorder recorder,
      String client, String reason) {
    super(request, ctx);
    this.recorder = recorder;
    this.client = client;
    this.reason = reason;
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (httpObject instanceof HttpRequest request) {
      recorder.record(refusal(request, client, HttpResponseStatus.FORBIDDEN, reason));
    }
    return Responses.text(HttpResponseStatus.FORBIDDEN, reason, true);
  }

  /** The error flow of a request refused before it was forwarded (a CONNECT has no URL). */
  static FlowBuilder refusal(HttpRequest request, String client, HttpResponseStatus status,
      String error) {
    return new FlowBuilder()
        .kind(FlowKind.ERROR)
        .client(client)
        .method(request.method().name())
        .url(request.method().name().equals("CONNECT") ? null : request.uri())
        .status(status.code())
        .error(error);
  }
}
