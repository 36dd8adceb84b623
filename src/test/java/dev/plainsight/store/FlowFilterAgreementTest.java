package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowFilter;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.HostList;
import dev.plainsight.flow.KindList;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property behind "the filter meaning exists once": for random flows written to a real
 * SQLite store and random filters, the flows the store's SQL returns are exactly those that
 * {@link FlowFilter#test} accepts in memory (text search aside: on disk it is full-text).
 */
class FlowFilterAgreementTest {
  private static final String[] HOSTS = {"a.example", "B.Example", "update.googleapis.com",
      "safebrowsing.googleapis.com", "x_y.test", "xzy.test", "127.0.0.1", "::1",
      "clients4.google.com", "clients.google.com", "maps.google.com", "wei%rd.test",
      "detectportal.firefox.com", "push.services.mozilla.com", "ÉCOLE.fr", null};
  private static final String[] PATTERNS = {"example", "*.example", "?.example", "google",
      "*.google.com", "clients?.google.com", "127.0.0.1", "x_y", "*_*", "x?y.test", "1", ":",
      "::1", "*", "a*e", "B.EXAMPLE", "wei", "*.googleapis.com", "école.fr", "*.fr",
      "[::1]", "*.services.mozilla.com", "detectportal.firefox.com"};
  private static final String[] METHODS = {"GET", "POST", "get", "CONNECT", null};
  private static final Integer[] STATUSES = {200, 204, 301, 404, 418, 500, 502, null};
  private static final String[] CLIENTS = {"127.0.0.1:5000", "10.0.0.7:1234", "10.0.0.70:9",
      "::1", "FE80::1", null};
  private static final String[] CLIENT_PREFIXES = {"127.", "10.0.0.7", "fe80", "::", "1"};
  private static final String[] PARTICIPANTS = {"alice", "bob", "Alice", null};
  private static final int[][] STATUS_RANGES = {{200, 299}, {404, 404}, {0, 0}, {500, 599}};

  @TempDir Path dir;

  @Test
  void theStoresSqlAndTheInMemoryPredicateSelectTheSameFlows() {
    Random random = new Random(20261202L);
    try (SqliteFlowStore store = SqliteFlowStore.open(dir, StoreOptions.defaults())) {
      List<Flow> flows = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        flows.add(store.add(randomFlow(random, i)));
      }
      store.flush();
      int nonEmpty = 0;
      for (int round = 0; round < 600; round++) {
        FlowFilter filter = randomFilter(random);
        List<Long> expected = new ArrayList<>();
        for (int i = flows.size() - 1; i >= 0; i--) {
          if (filter.test(flows.get(i))) {
            expected.add(flows.get(i).id());
          }
        }
        var page = store.query(filter, 1000, 0);
        List<Long> actual = page.flows().stream().map(Flow::id).toList();
        assertEquals(expected, actual, "SQL and predicate disagree on " + filter);
        assertEquals(expected.size(), page.total(), "total of " + filter);
        nonEmpty += expected.isEmpty() || expected.size() == flows.size() ? 0 : 1;
      }
      assertTrue(nonEmpty > 200, "most filters select some flows but not all: " + nonEmpty);
    }
  }

  private static Flow randomFlow(Random random, int i) {
    FlowKind kind = FlowKind.values()[random.nextInt(FlowKind.values().length)];
    String host = pick(random, HOSTS);
    return new FlowBuilder().kind(kind).startedAt(Instant.parse("2026-12-02T10:00:00Z")
        .plusSeconds(i)).client(pick(random, CLIENTS)).method(pick(random, METHODS))
        .url(host == null ? null : "http://" + host + "/p" + i).host(host).port(80)
        .status(pick(random, STATUSES)).participant(pick(random, PARTICIPANTS)).build();
  }

  private static FlowFilter randomFilter(Random random) {
    KindList kinds = KindList.ANY;
    if (random.nextInt(3) > 0) {
      Set<FlowKind> some = EnumSet.noneOf(FlowKind.class);
      int n = 1 + random.nextInt(3);
      for (int k = 0; k < n; k++) {
        some.add(FlowKind.values()[random.nextInt(FlowKind.values().length)]);
      }
      kinds = new KindList(some, random.nextBoolean());
    }
    HostList hosts = random.nextInt(3) == 0 ? HostList.ANY
        : HostList.parse((random.nextBoolean() ? "!" : "") + patterns(random, 1 + random.nextInt(3)));
    int[] range = random.nextInt(3) == 0 ? STATUS_RANGES[random.nextInt(STATUS_RANGES.length)]
        : null;
    Integer min = range == null ? null : range[0];
    Integer max = range == null ? null : range[1];
    if (range != null && random.nextInt(4) == 0) {
      min = random.nextBoolean() ? null : min; // an open range on one side
    }
    String method = random.nextInt(4) == 0 ? pick(random, new String[] {"GET", "POST", "get"})
        : null;
    String client = random.nextInt(4) == 0 ? pick(random, CLIENT_PREFIXES) : null;
    String participant = random.nextInt(4) == 0 ? pick(random, PARTICIPANTS) : null;
    Boolean background = random.nextInt(3) == 0 ? null : random.nextBoolean();
    HostList backgroundHosts = random.nextInt(5) == 0 ? HostList.ANY
        : HostList.ofGlobs(List.of(patterns(random, 1 + random.nextInt(4)).split(",")));
    return new FlowFilter(null, kinds, hosts, method, min, max, client, participant, null,
        background, backgroundHosts);
  }

  private static String patterns(Random random, int n) {
    List<String> chosen = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      chosen.add(pick(random, PATTERNS));
    }
    return String.join(",", chosen);
  }

  private static <T> T pick(Random random, T[] values) {
    return values[random.nextInt(values.length)];
  }
}
