package dev.plainsight.flow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The one meaning of a flow filter (the {@code /api/flows} query, the live feed's subscription):
 * every field that is null or "any" matches everything, the others must all pass. The store
 * compiles the same value to SQL ({@code store/QuerySql}); {@link #test} is the meaning in memory,
 * for flows still queued and for the live feed. A property test holds the two to agree.
 *
 * <p>{@code session} is a session id; {@code method} any case (stored upper-cased); status an inclusive range (0..0 means
 * "no status"); {@code client} an address prefix, ASCII case-insensitive; {@code participant}
 * exact; {@code background} asks whether the host matches {@code backgroundHosts} (a flow without
 * host is not background). {@code text} is the one looser part: on disk a full-text word-prefix
 * search, here a case-insensitive substring of URL, error, headers and bodies.
 */
public record FlowFilter(String session, KindList kinds, HostList hosts, String method,
    Integer statusMin, Integer statusMax, String client, String participant, String text,
    Boolean background, HostList backgroundHosts) {

  public static final FlowFilter ALL = new FlowFilter(null, KindList.ANY, HostList.ANY, null,
      null, null, null, null, null, null, HostList.ANY);

  public FlowFilter {
    kinds = kinds == null ? KindList.ANY : kinds;
    hosts = hosts == null ? HostList.ANY : hosts;
    backgroundHosts = backgroundHosts == null ? HostList.ANY : backgroundHosts;
    session = blankToNull(session);
    method = blankToNull(method) == null ? null : method.strip().toUpperCase(Locale.ROOT);
    client = blankToNull(client) == null ? null : client.strip();
    participant = blankToNull(participant) == null ? null : participant.strip();
    text = blankToNull(text) == null ? null : text.toLowerCase(Locale.ROOT);
  }

  /** True when the range asks for flows without a status (0..0). */
  public boolean wantsNoStatus() {
    return statusMin != null && statusMax != null && statusMin == 0 && statusMax == 0;
  }

  public FlowFilter withSession(String id) {
    return new FlowFilter(id, kinds, hosts, method, statusMin, statusMax, client, participant,
        text, background, backgroundHosts);
  }

  public FlowFilter withParticipant(String name) {
    return new FlowFilter(session, kinds, hosts, method, statusMin, statusMax, client, name,
        text, background, backgroundHosts);
  }

  /** The same filter asking for background flows ({@code true}), others, or both ({@code null}). */
  public FlowFilter withBackground(Boolean wanted) {
    return new FlowFilter(session, kinds, hosts, method, statusMin, statusMax, client,
        participant, text, wanted, backgroundHosts);
  }

  /** The same filter over another background host list. */
  public FlowFilter withBackgroundHosts(HostList hosts) {
    return new FlowFilter(session, kinds, this.hosts, method, statusMin, statusMax, client,
        participant, text, background, hosts);
  }

  /** Whether the flow's host is one of the background hosts. */
  public boolean isBackground(Flow flow) {
    return backgroundHosts.anyMatches(flow.host());
  }

  public boolean test(Flow flow) {
    return (session == null || session.equals(flow.session()))
        && kinds.test(flow.kind())
        && hosts.test(flow.host())
        && (method == null || flow.method() != null
            && method.equals(flow.method().toUpperCase(Locale.ROOT)))
        && statusPasses(flow.status())
        && (client == null || flow.client() != null
            && flow.client().regionMatches(true, 0, client, 0, client.length()))
        && (participant == null || participant.equals(flow.participant()))
        && (background == null || background == isBackground(flow))
        && (text == null || textMatches(flow));
  }

  private boolean statusPasses(Integer status) {
    if (wantsNoStatus()) {
      return status == null;
    }
    return (statusMin == null || status != null && status >= statusMin)
        && (statusMax == null || status != null && status <= statusMax);
  }

  private boolean textMatches(Flow flow) {
    if (contains(flow.url()) || contains(flow.error())) {
      return true;
    }
    if (flow.request() != null && (headers(flow.request().headers())
        || contains(bodyText(flow.request().body())))) {
      return true;
    }
    return flow.response() != null && (headers(flow.response().headers())
        || contains(bodyText(flow.response().body())));
  }

  private boolean headers(List<Header> headers) {
    for (Header header : headers) {
      if (contains(header.name() + ": " + header.value())) {
        return true;
      }
    }
    return false;
  }

  private static String bodyText(Body body) {
    return body == null ? null : new String(body.captured(), StandardCharsets.UTF_8);
  }

  private boolean contains(String haystack) {
    return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(text);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
