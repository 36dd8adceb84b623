package dev.plainsight.store;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The query filter applied in memory to the flows not yet written. Text is a case-insensitive
 * substring here, a slightly looser test than the word-prefix search on disk; it only ever
 * concerns the last instants of capture.
 */
final class PendingMatch {
  private PendingMatch() {}

  static boolean matches(Flow flow, StoreQuery query, String sessionKey) {
    FlowQuery base = query.base();
    if (sessionKey != null && !sessionKey.equals(flow.session())) {
      return false;
    }
    if (base.kind() != null && base.kind() != flow.kind()) {
      return false;
    }
    if (base.host() != null && !contains(flow.host(), base.host())) {
      return false;
    }
    if (query.method() != null && !query.method().equalsIgnoreCase(flow.method())) {
      return false;
    }
    if (query.wantsNoStatus()) {
      if (flow.status() != null) {
        return false;
      }
    } else if (query.statusMin() != null
        && (flow.status() == null || flow.status() < query.statusMin())) {
      return false;
    }
    if (!query.wantsNoStatus() && query.statusMax() != null
        && (flow.status() == null || flow.status() > query.statusMax())) {
      return false;
    }
    if (query.client() != null
        && (flow.client() == null || !flow.client().startsWith(query.client()))) {
      return false;
    }
    if (query.participant() != null && !query.participant().equals(flow.participant())) {
      return false;
    }
    return base.text() == null || text(flow, base.text());
  }

  private static boolean text(Flow flow, String needle) {
    if (contains(flow.url(), needle) || contains(flow.error(), needle)) {
      return true;
    }
    if (flow.request() != null && (headers(flow.request().headers(), needle)
        || contains(bodyText(flow.request().body()), needle))) {
      return true;
    }
    return flow.response() != null && (headers(flow.response().headers(), needle)
        || contains(bodyText(flow.response().body()), needle));
  }

  private static boolean headers(List<Header> headers, String needle) {
    for (Header header : headers) {
      if (contains(header.name() + ": " + header.value(), needle)) {
        return true;
      }
    }
    return false;
  }

  private static String bodyText(Body body) {
    return body == null ? null : new String(body.captured(), StandardCharsets.UTF_8);
  }

  private static boolean contains(String haystack, String lowerNeedle) {
    return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }
}
