package dev.plainsight.replay;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.Header;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request to send again: the captured one, or an edited copy. {@link #sendableHeaders} are the
 * headers a client sends end to end (no hop-by-hop, proxy or framing headers, which the sending
 * client sets itself).
 */
public record ReplayRequest(String method, String url, List<Header> headers, byte[] body) {
  /** Headers never copied into a re-sent request. */
  static final Set<String> NOT_SENT = Set.of("host", "content-length", "connection", "keep-alive",
      "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
      "expect");

  public ReplayRequest {
    if (method == null || !method.matches("[A-Za-z]+")) {
      throw new IllegalArgumentException("method must be a word such as GET or POST");
    }
    method = method.toUpperCase(Locale.ROOT);
    if (method.equals("CONNECT")) {
      throw new IllegalArgumentException("a CONNECT cannot be replayed: replay the requests "
          + "inside it");
    }
    URI uri;
    try {
      uri = URI.create(url == null ? "" : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url is not a valid URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http")
        || uri.getScheme().equalsIgnoreCase("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("url must be an absolute http:// or https:// URL");
    }
    headers = headers == null ? List.of() : List.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** The captured request, as it was sent. */
  public static ReplayRequest of(CapturedRequest request) {
    Body body = request.body();
    if (body.truncated()) {
      throw new IllegalStateException("only the first " + body.captured().length + " of "
          + body.size() + " body bytes were captured: edit and replay with a body of your own");
    }
    return new ReplayRequest(request.method(), request.url(), request.headers(), body.captured());
  }

  public List<Header> sendableHeaders() {
    return headers.stream()
        .filter(h -> !NOT_SENT.contains(h.name().toLowerCase(Locale.ROOT)))
        .filter(h -> !h.name().equalsIgnoreCase(Replayer.HEADER))
        .toList();
  }
}
