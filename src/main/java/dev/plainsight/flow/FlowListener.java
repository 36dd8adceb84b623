package dev.plainsight.flow;

/**
 * Told about every flow once it is stored (with its id), and again each time a stored flow is
 * updated (a WebSocket flow's new messages). Must not block: it runs on the caller.
 */
@FunctionalInterface
public interface FlowListener {
  void flowAdded(Flow flow);

  default void flowUpdated(Flow flow) {}
}
