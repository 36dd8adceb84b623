package dev.plainsight.store;

import dev.plainsight.flow.FlowFilter;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.HostList;
import dev.plainsight.flow.KindList;
import java.util.Locale;

/**
 * {@link FlowQuery} plus the filters of the flows API that it lacks: method (exact, any case),
 * status range (inclusive, null = open; 0..0 means "no status", e.g. tunnels and refusals) and
 * client (address prefix, e.g. "10.0.0.7") and participant (the exact {@code --proxy-auth} name).
 * Its meaning is {@link #filter()}'s: a {@link FlowFilter} with one kind and one host value.
 */
public record StoreQuery(FlowQuery base, String method, Integer statusMin, Integer statusMax,
    String client, String participant) {

  public StoreQuery {
    base = base == null ? FlowQuery.all() : base;
    method = method == null || method.isBlank() ? null : method.trim().toUpperCase(Locale.ROOT);
    client = client == null || client.isBlank() ? null : client.trim();
    participant = participant == null || participant.isBlank() ? null : participant.strip();
  }

  public StoreQuery(FlowQuery base, String method, Integer statusMin, Integer statusMax,
      String client) {
    this(base, method, statusMin, statusMax, client, null);
  }

  /** The same query, for one participant's flows only. */
  public StoreQuery forParticipant(String name) {
    return new StoreQuery(base, method, statusMin, statusMax, client, name);
  }

  /** True when the range asks for flows without a status (0..0). */
  public boolean wantsNoStatus() {
    return statusMin != null && statusMax != null && statusMin == 0 && statusMax == 0;
  }

  /** The same filter as the one definition the store applies. */
  public FlowFilter filter() {
    return new FlowFilter(base.session(), KindList.of(base.kind()), HostList.parse(base.host()),
        method, statusMin, statusMax, client, participant, base.text(), null, HostList.ANY);
  }

  public static StoreQuery of(FlowQuery base) {
    return new StoreQuery(base, null, null, null, null);
  }
}
