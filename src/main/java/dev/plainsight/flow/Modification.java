package dev.plainsight.flow;

/**
 * One change a tamper rule made to a flow on its way through: which rule, which part of the
 * exchange ({@code request-header}, {@code request-body}, {@code response-header}, {@code
 * response-body}), and a bounded text of that part before and after.
 */
public record Modification(String rule, String part, String before, String after) {}
