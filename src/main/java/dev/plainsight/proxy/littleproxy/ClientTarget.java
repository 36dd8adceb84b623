package dev.plainsight.proxy.littleproxy;

import dev.plainsight.net.Authority;
import dev.plainsight.net.RequestTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Where a plain (not intercepted) request asks to go, read once from its request line: an
 * absolute URL ({@link RequestTarget}), or a path with only a Host header to name a host (which
 * LittleProxy refuses unless the magic host answers it), or a target that is not well formed.
 * Authentication and the exchange's filters use this one reading, so the host that decides
 * whether credentials are needed is the host the request goes to.
 */
sealed interface ClientTarget {
  record Absolute(RequestTarget target) implements ClientTarget {}

  /** Origin form ("/path"); {@code host} from the Host header, null when it names none. */
  record PathOnly(Authority hostHeader) implements ClientTarget {}

  record Malformed(String reason) implements ClientTarget {}

  static ClientTarget of(HttpRequest request) {
    return of(request.uri(), request.headers().get(HttpHeaderNames.HOST));
  }

  /** The target of a request line's {@code uri}, with its Host header ({@code header}, or null). */
  static ClientTarget of(String uri, String header) {
    if (RequestTarget.isAbsolute(uri)) {
      try {
        return new Absolute(RequestTarget.parse(uri));
      } catch (IllegalArgumentException bad) {
        return new Malformed("bad request target: " + bad.getMessage());
      }
    }
    if (!uri.startsWith("/") && !uri.equals("*")) {
      return new Malformed("bad request target: neither an absolute URL nor a path");
    }
    try {
      return new PathOnly(header == null ? null : Authority.parse(header, 80));
    } catch (IllegalArgumentException badHost) {
      return new PathOnly(null);
    }
  }

  /** The port this target names, or 0. */
  default int port() {
    if (this instanceof Absolute absolute) {
      return absolute.target().authority().port();
    }
    if (this instanceof PathOnly path && path.hostHeader() != null) {
      return path.hostHeader().port();
    }
    return 0;
  }

  /** The host this target names, or null. */
  default String hostName() {
    if (this instanceof Absolute absolute) {
      return absolute.target().authority().host();
    }
    if (this instanceof PathOnly path && path.hostHeader() != null) {
      return path.hostHeader().host();
    }
    return null;
  }
}
