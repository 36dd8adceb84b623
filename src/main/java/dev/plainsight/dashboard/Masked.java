package dev.plainsight.dashboard;

/**
 * A secret as the wall may show it: its length in characters (code points) and, only when it is
 * at least {@value #PREFIX_FROM} long, its first two characters; the rest are bullets (at most
 * {@value #MAX_BULLETS}). Never the whole value. Control and format characters (a bidi override)
 * in the prefix show as {@code ?}, so a value cannot rearrange the projector's line.
 */
record Masked(String shown, int length) {
  static final int PREFIX_FROM = 8;
  static final int MAX_BULLETS = 24;

  static Masked of(String value) {
    int length = value.codePointCount(0, value.length());
    StringBuilder shown = new StringBuilder();
    int prefix = length >= PREFIX_FROM ? 2 : 0;
    for (int i = 0, at = 0; i < prefix; i++) {
      int cp = value.codePointAt(at);
      at += Character.charCount(cp);
      int type = Character.getType(cp);
      boolean odd = Character.isISOControl(cp) || type == Character.FORMAT
          || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
          || type == Character.SURROGATE || type == Character.PRIVATE_USE;
      shown.appendCodePoint(odd ? '?' : cp);
    }
    shown.append("\u2022".repeat(Math.min(length - prefix, MAX_BULLETS)));
    return new Masked(shown.toString(), length);
  }
}
