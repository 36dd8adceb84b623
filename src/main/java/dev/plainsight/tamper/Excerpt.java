package dev.plainsight.tamper;

/**
 * Bounded before/after texts for a modification: whole when short, otherwise the same window of
 * both, starting a little before the first difference, marked with "…" where cut.
 */
record Excerpt(String before, String after) {
  static final int MAX_CHARS = 16 * 1024;
  private static final int LEAD = 1024;

  static Excerpt of(String before, String after) {
    if (before.length() <= MAX_CHARS && after.length() <= MAX_CHARS) {
      return new Excerpt(before, after);
    }
    int common = 0;
    int limit = Math.min(before.length(), after.length());
    while (common < limit && before.charAt(common) == after.charAt(common)) {
      common++;
    }
    int from = Math.max(0, common - LEAD);
    return new Excerpt(window(before, from), window(after, from));
  }

  private static String window(String text, int from) {
    int to = Math.min(text.length(), from + MAX_CHARS);
    return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length()
        ? "… (" + (text.length() - to) + " more characters)" : "");
  }
}
