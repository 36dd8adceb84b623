package dev.plainsight.dashboard;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowPage;
import dev.plainsight.flow.FlowQuery;
import dev.plainsight.flow.FlowStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wall's content, computed on read from the store, masked before it leaves this class. The
 * window is every flow after the last clear (a flow id: the store keeps everything), up to the
 * pause (a paused wall answers the snapshot it showed when paused, the same to every projector).
 * Secrets are found per flow once and kept by flow id (bounded), then merged: the same secret of
 * the same device to the same host is one entry ({@code seen} counts its flows). At most {@value
 * #SCAN} flows of each kind are read per answer, newest first ({@code partial} says so).
 */
final class SecretWall {
  static final int SCAN = 2000;
  static final int SHOWN = 200;
  private static final int PAGE = 200;
  private static final int CACHE = 20_000;

  private record Cached(Instant startedAt, List<SecretDetector.Found> secrets) {}

  private final FlowStore store;
  private final Map<Long, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Cached> eldest) {
      return size() > CACHE;
    }
  };
  private long clearedAfter;
  private Instant clearedAt;
  private Instant pausedAt;
  private final Map<String, Map<String, Object>> frozen = new LinkedHashMap<>();

  SecretWall(FlowStore store) {
    this.store = store;
  }

  synchronized Map<String, Object> state() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("paused", pausedAt != null);
    json.put("pausedAt", pausedAt == null ? null : pausedAt.toString());
    json.put("clearedAt", clearedAt == null ? null : clearedAt.toString());
    return json;
  }

  synchronized void pause(boolean paused) {
    if (paused && pausedAt == null) {
      pausedAt = Instant.now();
    } else if (!paused) {
      pausedAt = null;
      frozen.clear();
    }
  }

  /** From now on the wall shows only what comes after this moment; nothing is deleted. */
  synchronized void clear() {
    clearedAfter = newestId();
    clearedAt = Instant.now();
    frozen.clear();
  }

  synchronized Map<String, Object> secrets(String session) {
    String key = session == null ? "" : session;
    if (pausedAt != null && frozen.containsKey(key)) {
      return frozen.get(key);
    }
    Map<String, Object> json = state();
    json.put("session", session);
    Map<String, Entry> merged = new LinkedHashMap<>();
    boolean partial = false;
    int[] found = new int[2];
    for (FlowKind kind : new FlowKind[] {FlowKind.HTTP, FlowKind.HTTPS_DECRYPTED}) {
      partial |= scan(session, kind, flow -> {
        for (SecretDetector.Found secret : secretsOf(flow)) {
          String device = flow.participant() != null ? "p:" + flow.participant() : "c:" + flow.client();
          String id = device + "\n" + flow.host() + "\n" + secret.fingerprint();
          Entry entry = merged.get(id);
          if (entry == null) {
            merged.put(id, new Entry(flow, secret));
            found[kind == FlowKind.HTTP ? 0 : 1]++;
          } else {
            entry.seen++;
          }
        }
      });
    }
    Set<String> refusers = new HashSet<>();
    int[] refused = new int[1];
    int[] sealed = new int[1];
    partial |= scan(session, FlowKind.HTTPS_TUNNEL, flow -> sealed[0]++);
    partial |= scan(session, FlowKind.HTTPS_REJECTED, flow -> {
      refused[0]++;
      refusers.add(flow.participant() != null ? "p:" + flow.participant() : "c:" + flow.client());
    });
    List<Entry> newest = new ArrayList<>(merged.values());
    newest.sort((a, b) -> Long.compare(b.flow.id(), a.flow.id()));
    json.put("secrets", newest.stream().limit(SHOWN).map(Entry::json).toList());
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("clear", found[0]);
    counts.put("decrypted", found[1]);
    counts.put("sealed", sealed[0]);
    counts.put("refused", refused[0]);
    counts.put("refusedDevices", refusers.size());
    json.put("counts", counts);
    json.put("partial", partial);
    if (pausedAt != null) {
      frozen.put(key, json);
    }
    return json;
  }

  /** Calls {@code action} for each flow of the kind in the window, newest first; true if cut. */
  private boolean scan(String session, FlowKind kind, java.util.function.Consumer<Flow> action) {
    Set<Long> done = new HashSet<>();
    for (int offset = 0; offset < SCAN; offset += PAGE) {
      FlowPage page = store.query(new FlowQuery(session, kind, null, null, PAGE, offset));
      for (Flow flow : page.flows()) {
        if (flow.id() <= clearedAfter) {
          return false;
        }
        if (done.add(flow.id())) {
          action.accept(flow);
        }
      }
      if (page.flows().size() < PAGE) {
        return false;
      }
    }
    return true;
  }

  private List<SecretDetector.Found> secretsOf(Flow summary) {
    Cached cached = cache.get(summary.id());
    if (cached != null && cached.startedAt().equals(summary.startedAt())) {
      return cached.secrets();
    }
    Flow whole = SecretDetector.wantsBody(summary)
        ? store.find(summary.id()).orElse(summary) : summary;
    List<SecretDetector.Found> secrets = List.copyOf(SecretDetector.find(whole));
    cache.put(summary.id(), new Cached(summary.startedAt(), secrets));
    return secrets;
  }

  private long newestId() {
    List<Flow> newest = store.query(new FlowQuery(null, null, null, null, 1, 0)).flows();
    return newest.isEmpty() ? 0 : newest.get(0).id();
  }

  private static final class Entry {
    final Flow flow;
    final SecretDetector.Found secret;
    int seen = 1;

    Entry(Flow flow, SecretDetector.Found secret) {
      this.flow = flow;
      this.secret = secret;
    }

    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("flow", flow.id());
      json.put("at", flow.startedAt() == null ? null : flow.startedAt().toString());
      json.put("participant", flow.participant());
      json.put("client", flow.client());
      json.put("host", flow.host());
      json.put("kind", secret.kind().wire);
      json.put("type", flow.kind() == FlowKind.HTTP ? "clear" : "decrypted");
      json.put("name", secret.name());
      json.put("masked", secret.masked().shown());
      json.put("length", secret.masked().length());
      json.put("seen", seen);
      return json;
    }
  }
}
