package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the committed-flow listeners, on the writer thread, each flow once its insert is committed
 * ({@link #added}) and each newer version once its update is ({@link #updated}). A flow marked
 * {@link #quiet} before its commit (a HAR import) is not told. A failing listener is logged and
 * does not stop the others.
 */
final class CommittedFeed {
  private static final Logger LOG = LoggerFactory.getLogger(CommittedFeed.class);

  private final List<FlowListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<Long> quiet = ConcurrentHashMap.newKeySet();

  void add(FlowListener listener) {
    listeners.add(listener);
  }

  void quiet(long id) {
    quiet.add(id);
  }

  /** The batch just committed and the ids of it that were stored (in batch order). */
  void added(List<Flow> batch, long[] storedIds) {
    if (storedIds.length == 0) {
      return;
    }
    List<Flow> told = new ArrayList<>(storedIds.length);
    int next = 0;
    for (Flow flow : batch) {
      if (next < storedIds.length && flow.id() == storedIds[next]) {
        next++;
        if (quiet.isEmpty() || !quiet.remove(flow.id())) {
          told.add(flow);
        }
      }
    }
    tell(told, false);
  }

  void updated(List<Flow> flows) {
    tell(flows, true);
  }

  private void tell(List<Flow> flows, boolean updated) {
    if (flows.isEmpty()) {
      return;
    }
    for (FlowListener listener : listeners) {
      try {
        for (Flow flow : flows) {
          if (updated) {
            listener.flowUpdated(flow);
          } else {
            listener.flowAdded(flow);
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("a committed-flow listener failed: {}", e.toString());
      }
    }
  }
}
