package dev.plainsight.proxy.littleproxy;

import dev.plainsight.ca.UpstreamFailureRecorder;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * Reads the terse responses LittleProxy writes itself (a 502 when it cannot reach or verify a
 * server, or cannot parse its answer; a 504 when the server is too slow; a 400 for a request it
 * cannot route) and says in words what happened, for the error flow and the client's body.
 *
 * <p>Canary: {@code
 * LittleProxyCanaryTest.anUnparseableResponseStillBecomesLittleProxysOwn502WithThisText}.
 */
final class GeneratedAnswers {
  private GeneratedAnswers() {}

  /** LittleProxy replaces a response it cannot parse with a 502 of its own, this one. */
  static boolean isSubstituteForUnparseable(HttpResponse response) {
    return response instanceof FullHttpResponse full
        && full.status().code() == HttpResponseStatus.BAD_GATEWAY.code()
        && full.content().toString(StandardCharsets.UTF_8)
            .equals(LittleProxyInternals.UNPARSEABLE_RESPONSE_BODY);
  }

  static String explain(FullHttpResponse generated, String host, int port,
      UpstreamFailureRecorder upstreamErrors) {
    int status = generated.status().code();
    if (status == HttpResponseStatus.BAD_GATEWAY.code()) {
      String hostPort = host + ":" + port;
      return upstreamErrors.take(hostPort).orElse("could not connect to " + hostPort
          + " (connection refused, unreachable or reset)");
    }
    if (status == HttpResponseStatus.GATEWAY_TIMEOUT.code()) {
      return "the server " + host + ":" + port + " did not answer in time";
    }
    if (status == HttpResponseStatus.BAD_REQUEST.code()) {
      return "bad request: not a well-formed proxy request (absolute URL expected)";
    }
    return "the proxy answered " + status + " " + generated.status().reasonPhrase();
  }}
