package dev.plainsight.flow;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the most recent {@code capacity} flows in memory; older ones are dropped first. A stand-in
 * until the persistent store lands: the memory bound is capacity × the capture limit per body.
 */
public final class InMemoryFlowStore implements FlowStore {
  private final int capacity;
  private final ArrayDeque<Flow> flows = new ArrayDeque<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final List<FlowListener> listeners = new CopyOnWriteArrayList<>();

  public InMemoryFlowStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  @Override
  public Flow add(Flow flow) {
    Flow stored = flow.withId(nextId.getAndIncrement());
    synchronized (flows) {
      flows.addFirst(stored);
      while (flows.size() > capacity) {
        flows.removeLast();
      }
    }
    for (FlowListener listener : listeners) {
      listener.flowAdded(stored);
    }
    return stored;
  }

  @Override
  public Optional<Flow> find(long id) {
    synchronized (flows) {
      for (Flow flow : flows) {
        if (flow.id() == id) {
          return Optional.of(flow);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public FlowPage query(FlowQuery query) {
    List<Flow> page = new ArrayList<>();
    long total = 0;
    synchronized (flows) {
      Iterator<Flow> newestFirst = flows.iterator();
      while (newestFirst.hasNext()) {
        Flow flow = newestFirst.next();
        if (matches(flow, query)) {
          if (total >= query.offset() && page.size() < query.limit()) {
            page.add(flow);
          }
          total++;
        }
      }
    }
    return new FlowPage(total, page);
  }

  @Override
  public void addListener(FlowListener listener) {
    listeners.add(listener);
  }

  private static boolean matches(Flow flow, FlowQuery query) {
    if (query.session() != null && !query.session().equals(flow.session())) {
      return false;
    }
    if (query.kind() != null && query.kind() != flow.kind()) {
      return false;
    }
    if (query.host() != null
        && (flow.host() == null || !flow.host().toLowerCase(Locale.ROOT).contains(query.host()))) {
      return false;
    }
    return query.text() == null || FlowText.contains(flow, query.text());
  }

  /** Case-insensitive search over the parts of a flow a person would search for. */
  static final class FlowText {
    private FlowText() {}

    static boolean contains(Flow flow, String lowerNeedle) {
      if (has(flow.url(), lowerNeedle) || has(flow.error(), lowerNeedle)) {
        return true;
      }
      if (flow.request() != null
          && (headersContain(flow.request().headers(), lowerNeedle)
              || has(text(flow.request().body()), lowerNeedle))) {
        return true;
      }
      return flow.response() != null
          && (headersContain(flow.response().headers(), lowerNeedle)
              || has(text(flow.response().body()), lowerNeedle));
    }

    private static boolean headersContain(List<Header> headers, String needle) {
      for (Header header : headers) {
        if (has(header.name(), needle) || has(header.value(), needle)) {
          return true;
        }
      }
      return false;
    }

    private static String text(Body body) {
      return body == null ? null : new String(body.captured(), StandardCharsets.ISO_8859_1);
    }

    private static boolean has(String haystack, String needle) {
      return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
    }
  }
}
