package dev.plainsight.flow;

/** Told about every flow once it is stored (with its id). Must not block: it runs on the caller. */
@FunctionalInterface
public interface FlowListener {
  void flowAdded(Flow flow);
}
