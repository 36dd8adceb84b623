package dev.plainsight.proxy.littleproxy;

import dev.plainsight.flow.Header;
import dev.plainsight.flow.Modification;
import dev.plainsight.tamper.BodyRewrite;
import dev.plainsight.tamper.HeaderRewrite;
import dev.plainsight.tamper.TamperRule;
import dev.plainsight.tamper.TamperRule.Part;
import dev.plainsight.tamper.TamperRule.Phase;
import dev.plainsight.tamper.TamperRules;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies the tamper rules to one exchange (plain HTTP or decrypted HTTPS; tunnels never get
 * here). Call {@link #request} with the request head before it is captured and forwarded, then
 * {@link #response} with every response object before it is captured; forward what it returns.
 * Exchanges no rule matches pass as the same objects, untouched.
 *
 * <p>A response body rule first removes the request's Accept-Encoding, then holds the body back: the head goes out at once with chunked framing
 * (its length is not known yet), the body's chunks are withheld (sent as empty chunks) and the
 * rewritten body goes out as the last chunk. Compressed, non-text, bodiless and oversized bodies
 * are not held and a note says why. Not thread-safe: one exchange lives on one event loop.
 */
final class ExchangeTamper {
  private final TamperRules rules;
  private final Consumer<Modification> modifications;
  private String host;
  private boolean headRequest;
  private boolean http10;
  private List<TamperRule> bodyRules = List.of();
  private List<Header> responseHeaders = List.of();
  private ByteArrayOutputStream held;

  ExchangeTamper(TamperRules rules, Consumer<Modification> modifications) {
    this.rules = rules;
    this.modifications = modifications;
  }

  /** Rewrites the request's headers in place for the rules of {@code targetHost}. */
  void request(HttpRequest request, String targetHost) {
    host = targetHost;
    headRequest = "HEAD".equals(request.method().name());
    http10 = HttpVersion.HTTP_1_0.equals(request.protocolVersion());
    if (host == null) {
      return;
    }
    if (!rules.noneFor(host, Phase.REQUEST)) {
      HeaderRewrite.Result result = HeaderRewrite.apply(rules.forExchange(host, Phase.REQUEST,
          Part.HEADER), ExchangeTarget.headers(request.headers()));
      result.modifications().forEach(modifications);
      if (result.changed()) {
        request.headers().clear();
        result.headers().forEach(h -> request.headers().add(h.name(), h.value()));
      }
    }
    askForIdentity(request);
  }

  /**
   * When a response body rule covers this host, asks the server for an uncompressed body (as
   * mitmproxy's anticomp does): body rules cannot rewrite compressed bytes. Recorded as a change.
   */
  private void askForIdentity(HttpRequest request) {
    List<TamperRule> bodies = rules.forExchange(host, Phase.RESPONSE, Part.BODY);
    String accepted = request.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
    if (bodies.isEmpty() || accepted == null || accepted.trim().equalsIgnoreCase("identity")) {
      return;
    }
    request.headers().remove(HttpHeaderNames.ACCEPT_ENCODING);
    modifications.accept(new Modification(bodies.get(0).name(), "request-header",
        "Accept-Encoding: " + accepted, "", "removed Accept-Encoding so the server answers "
            + "uncompressed and the response body rules can rewrite the text"));
  }

  /** The object to forward to the client instead of this one (often the same object). */
  HttpObject response(HttpObject object) {
    if (object instanceof HttpResponse response) {
      return head(response);
    }
    if (held != null && object instanceof HttpContent content) {
      return hold(content);
    }
    return object;
  }

  private HttpObject head(HttpResponse response) {
    if (host == null || response instanceof FullHttpResponse
        || rules.noneFor(host, Phase.RESPONSE)) {
      return response;
    }
    List<Header> original = ExchangeTarget.headers(response.headers());
    HeaderRewrite.Result rewritten = HeaderRewrite.apply(
        rules.forExchange(host, Phase.RESPONSE, Part.HEADER), original);
    rewritten.modifications().forEach(modifications);
    List<Header> headers = rewritten.headers();
    bodyRules = rules.forExchange(host, Phase.RESPONSE, Part.BODY);
    if (!bodyRules.isEmpty() && hasBody(response.status().code())) {
      String refusal = http10 ? "left untouched: an HTTP/1.0 client cannot take the rewritten "
          + "body's chunked framing"
          : BodyRewrite.refusal(headers, HttpHeaders.getContentLength(response, -1)).orElse(null);
      if (refusal != null) {
        bodyRules.forEach(rule -> modifications.accept(
            Modification.untouched(rule.name(), rule.partName(), refusal)));
      } else {
        held = new ByteArrayOutputStream();
        headers = chunked(headers);
      }
    }
    responseHeaders = headers;
    if (headers.equals(original)) {
      return response;
    }
    HttpHeaders copy = new DefaultHttpHeaders();
    headers.forEach(h -> copy.add(h.name(), h.value()));
    return new DefaultHttpResponse(response.protocolVersion(), response.status(), copy);
  }

  private HttpObject hold(HttpContent content) {
    held.writeBytes(ByteBufUtil.getBytes(content.content()));
    if (held.size() > BodyRewrite.MAX_BODY) {
      byte[] bytes = held.toByteArray();
      held = null;
      bodyRules.forEach(rule -> modifications.accept(Modification.untouched(rule.name(),
          rule.partName(), "left untouched: the body grew larger than " + BodyRewrite.MAX_BODY
              + " bytes, the most the proxy holds back to rewrite")));
      return content instanceof LastHttpContent last
          ? new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes), last.trailingHeaders().copy())
          : new DefaultHttpContent(Unpooled.wrappedBuffer(bytes));
    }
    if (!(content instanceof LastHttpContent last)) {
      return new DefaultHttpContent(Unpooled.EMPTY_BUFFER);
    }
    BodyRewrite.Result result = BodyRewrite.apply(bodyRules, held.toByteArray(), responseHeaders);
    held = null;
    result.modifications().forEach(modifications);
    return new DefaultLastHttpContent(Unpooled.wrappedBuffer(result.body()),
        last.trailingHeaders().copy());
  }

  private boolean hasBody(int status) {
    return !headRequest && status >= 200 && status != 204 && status != 304;
  }

  private static List<Header> chunked(List<Header> headers) {
    List<Header> out = new ArrayList<>();
    for (Header header : headers) {
      if (!header.name().equalsIgnoreCase("Content-Length")
          && !header.name().equalsIgnoreCase("Transfer-Encoding")) {
        out.add(header);
      }
    }
    out.add(new Header("Transfer-Encoding", "chunked"));
    return out;
  }
}
