package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Newer versions of stored flows, waiting for the writer: the latest one per id, so a chatty
 * flow costs one write per writer turn however often it changes. {@link #put} never blocks and
 * holds at most one flow per id. The writer takes {@link #snapshot}, writes it, then
 * {@link #written} removes each entry that was not replaced meanwhile.
 */
final class PendingUpdates {
  private final ConcurrentHashMap<Long, Flow> latest = new ConcurrentHashMap<>();

  void put(Flow flow) {
    latest.put(flow.id(), flow);
  }

  Optional<Flow> get(long id) {
    return latest.isEmpty() ? Optional.empty() : Optional.ofNullable(latest.get(id));
  }

  boolean isEmpty() {
    return latest.isEmpty();
  }

  List<Flow> snapshot() {
    return new ArrayList<>(latest.values());
  }

  void written(List<Flow> flows) {
    for (Flow flow : flows) {
      latest.remove(flow.id(), flow);
    }
  }

  /** The page with each flow that has a newer version replaced by it. */
  List<Flow> overlay(List<Flow> page) {
    return overlay(page, latest);
  }

  /** The waiting versions now, to overlay on a page read from a snapshot taken at the same time. */
  Map<Long, Flow> copy() {
    return latest.isEmpty() ? Map.of() : Map.copyOf(latest);
  }

  static List<Flow> overlay(List<Flow> page, Map<Long, Flow> newer) {
    if (newer.isEmpty()) {
      return page;
    }
    List<Flow> out = new ArrayList<>(page.size());
    for (Flow flow : page) {
      out.add(newer.getOrDefault(flow.id(), flow));
    }
    return out;
  }
}
