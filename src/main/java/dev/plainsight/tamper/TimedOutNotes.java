package dev.plainsight.tamper;

import dev.plainsight.flow.Modification;
import java.util.List;

/**
 * The notes a flow carries when a message part's {@link TimeBudget} ran out: the rule that was
 * matching timed out, and none of the rules was applied (the part passes as it arrived).
 */
final class TimedOutNotes {
  private TimedOutNotes() {}

  static List<Modification> of(List<TamperRule> rules, TamperRule slow, TimeBudget budget,
      String what) {
    return rules.stream().map(rule -> Modification.untouched(rule.name(), rule.partName(),
        rule == slow
            ? "the rule timed out (over " + budget.millis() + " ms on this " + what
                + "): the " + what + " passes unchanged"
            : "not applied: rule \"" + slow.name() + "\" timed out, so the " + what
                + " passes unchanged")).toList();
  }
}
