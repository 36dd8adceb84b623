package dev.plainsight.tamper;

/**
 * The time the rules may spend on one message part (the header lines, or a body), so that no rule
 * holds an I/O loop for long. Create one per part ({@link #start}), hand each text to the regular
 * expression through {@link #watch}: once the budget is spent, reading the text throws {@link
 * TimedOut}, which ends the match wherever it is. RE2/J matches in time linear in the text for
 * one search, but a replace-all can search again from every match (quadratic: {@code a(.*z)?} on
 * 20,000 characters ran 13 s), hence the budget.
 */
final class TimeBudget {
  /** What one message part may take, all its rules together. */
  static final long DEFAULT_MILLIS = 100;
  private static final int CHECK_EVERY = 1024;

  private final long millis;
  private final long deadline;

  private TimeBudget(long millis) {
    this.millis = millis;
    this.deadline = System.nanoTime() + millis * 1_000_000;
  }

  static TimeBudget start() {
    return new TimeBudget(DEFAULT_MILLIS);
  }

  long millis() { return millis; }

  /** The text as the regular expression reads it: the same characters, timed. */
  CharSequence watch(String text) {
    return new Watched(text);
  }

  private void check() {
    if (System.nanoTime() - deadline > 0) {
      throw new TimedOut();
    }
  }

  /** The budget ran out while a rule was matching. */
  static final class TimedOut extends RuntimeException {
    TimedOut() {
      super("timed out", null, false, false);
    }
  }

  private final class Watched implements CharSequence {
    private final String text;
    private int reads;

    Watched(String text) {
      this.text = text;
    }

    @Override
    public char charAt(int index) {
      if (++reads == CHECK_EVERY) {
        reads = 0;
        check();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.substring(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
