package dev.plainsight.flow;

import java.util.List;

/** One page of a query: {@code total} matches in all, {@code flows} newest first. */
public record FlowPage(long total, List<Flow> flows) {}
