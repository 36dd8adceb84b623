package dev.plainsight.capture;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.FlowStore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place captured flows leave the capture layer: stamps the current session, stores the
 * flow (and, with {@link #update}, its later versions: a WebSocket flow's messages) and writes
 * one log line for each error or refusal (never headers or bodies, which may hold secrets).
 */
public final class FlowRecorder {
  private static final Logger LOG = LoggerFactory.getLogger("dev.plainsight.flows");

  private final FlowStore store;
  private final Supplier<String> currentSession;
  private final int bodyCaptureLimit;

  public FlowRecorder(FlowStore store, Supplier<String> currentSession, int bodyCaptureLimit) {
    this.store = store;
    this.currentSession = currentSession;
    this.bodyCaptureLimit = bodyCaptureLimit;
  }

  public int bodyCaptureLimit() {
    return bodyCaptureLimit;
  }

  public Flow record(FlowBuilder builder) {
    Flow flow = store.add(builder.session(currentSession.get()).build());
    if (flow.kind() == FlowKind.ERROR) {
      LOG.info("flow {} error: {} {}: {}", flow.id(), flow.method(), target(flow), flow.error());
    } else if (flow.kind() == FlowKind.HTTPS_REJECTED) {
      LOG.info("flow {} client refused the certificate for {}: {}", flow.id(), target(flow),
          flow.tls() == null ? "?" : flow.tls().alert());
    }
    return flow;
  }

  /** Stores a newer version of a recorded flow (same id and session); never blocks. */
  public void update(Flow flow) {
    store.update(flow);
  }

  private static String target(Flow flow) {
    return flow.url() != null ? flow.url() : flow.host() + ":" + flow.port();
  }
}
