package dev.plainsight.flow;

/**
 * One change a tamper rule made to a flow on its way through: which rule, which part of the
 * exchange ({@code request-header}, {@code request-body}, {@code response-header}, {@code
 * response-body}), and a bounded text of that part before and after. A rule that matched the
 * host but had to leave the part alone (a compressed or oversized body) leaves {@code before} and
 * {@code after} null and says why in {@code note}.
 */
public record Modification(String rule, String part, String before, String after, String note) {

  public Modification(String rule, String part, String before, String after) {
    this(rule, part, before, after, null);
  }

  /** A rule that matched but left the part untouched, for the reason given. */
  public static Modification untouched(String rule, String part, String why) {
    return new Modification(rule, part, null, null, why);
  }

  /** True when the part really was changed (not only noted). */
  public boolean changed() {
    return before != null && after != null && !before.equals(after);
  }
}
