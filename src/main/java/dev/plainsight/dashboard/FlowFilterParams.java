package dev.plainsight.dashboard;

import dev.plainsight.flow.FlowFilter;
import dev.plainsight.flow.HostList;
import dev.plainsight.flow.KindList;
import io.javalin.http.BadRequestResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the filter parameters of {@code GET /api/flows} (and of the live feed's subscription,
 * which carries the same query string) into the one {@link FlowFilter}: {@code session, q, kind,
 * host, status, method, client, participant, background}. A malformed value is a 400 saying
 * what is accepted. The caller scopes a participant link to its own flows.
 */
final class FlowFilterParams {
  private FlowFilterParams() {}

  static FlowFilter parse(Function<String, String> param, BackgroundHosts background) {
    KindList kinds;
    HostList hosts;
    try {
      kinds = KindList.parse(param.apply("kind"));
      hosts = HostList.parse(param.apply("host"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse(e.getMessage());
    }
    StatusRange status = StatusRange.parse(param.apply("status"));
    return new FlowFilter(param.apply("session"), kinds, hosts, param.apply("method"),
        status.min(), status.max(), param.apply("client"), param.apply("participant"),
        param.apply("q"), flag(param.apply("background")), background.patterns());
  }

  /** The same, from a query string such as {@code kind=!error&background=false}. */
  static FlowFilter parse(String queryString, BackgroundHosts background) {
    Map<String, String> params = new HashMap<>();
    for (String pair : queryString.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new BadRequestResponse("the filter is not a query string: " + e.getMessage());
      }
    }
    return parse(params::get, background);
  }

  private static Boolean flag(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.strip()) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new BadRequestResponse("background must be true or false");
    };
  }
}
