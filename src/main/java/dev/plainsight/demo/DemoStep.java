package dev.plainsight.demo;

import dev.plainsight.flow.FlowKind;

/**
 * One step of the demo story, as it happened: what the built-in client did ({@code action}, e.g.
 * "POST http://127.0.0.1:41234/login"), the kind of flow it should leave in Plainsight, whether the
 * client saw what the story expects ({@code asExpected}: a refusal is expected in step d), what it
 * saw ({@code outcome}), and what the learner should look for in the dashboard ({@code lookFor}).
 */
public record DemoStep(
    String label,
    String title,
    String action,
    FlowKind expectedKind,
    boolean asExpected,
    String outcome,
    String lookFor) {

  private static final int WIDTH = 100;
  private static final String INDENT = "              ";

  /** A few indented lines for the console guide, wrapped at 100 columns. */
  public String describe() {
    return "(" + label + ") " + title + "\n"
        + wrap("    did:      " + action)
        + wrap("    result:   " + (asExpected ? "" : "NOT AS EXPECTED: ") + outcome)
        + wrap("    look for: the " + expectedKind.wire() + " flow. " + lookFor);
  }

  private static String wrap(String text) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" (?=\\S)")) {
      if (line.length() > INDENT.length() && line.length() + 1 + word.length() > WIDTH) {
        out.append(line).append('\n');
        line = new StringBuilder(INDENT);
      } else if (line.length() > 0 && !line.toString().equals(INDENT)) {
        line.append(' ');
      }
      line.append(word);
    }
    return out.append(line).append('\n').toString();
  }
}
