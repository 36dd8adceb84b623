package dev.plainsight.flow;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One host pattern, lower-cased: {@code *} stands for any run of characters, {@code ?} for one.
 * A {@code whole} pattern must match the whole host name; otherwise the host must contain it.
 * {@link #filterValue} reads a value of the {@code host} filter (a glob is whole, plain text is
 * "contains", as the filter always was); {@link #glob} a list entry such as a background host.
 * {@link #matches} is the meaning; {@link #like} is the same test as a SQL {@code LIKE} pattern
 * (with {@code ESCAPE '\'}) over lower-cased host names.
 */
public final class HostPattern {
  private static final String ALLOWED = "letters, digits, '.', '-', '_', ':', and * or ? as wildcards";

  private final String text;
  private final boolean whole;
  private final Pattern regex;

  public HostPattern(String value, boolean whole) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("an empty host value (two commas in a row?)");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c) && ".-_:*?".indexOf(c) < 0) {
        throw new IllegalArgumentException("\"" + text + "\" is not a host name or glob: use "
            + ALLOWED);
      }
    }
    this.text = text;
    this.whole = whole;
    this.regex = regex(text);
  }

  public String text() {
    return text;
  }

  public boolean whole() {
    return whole;
  }

  public static HostPattern filterValue(String value) {
    String text = value.strip();
    return new HostPattern(text, text.indexOf('*') >= 0 || text.indexOf('?') >= 0);
  }

  public static HostPattern glob(String glob) {
    return new HostPattern(glob, true);
  }

  public boolean matches(String host) {
    if (host == null) {
      return false;
    }
    String name = host.toLowerCase(Locale.ROOT);
    return whole ? regex.matcher(name).matches() : regex.matcher(name).find();
  }

  /** The SQL LIKE pattern of the same test; escapes SQL's own wildcards. */
  public String like() {
    StringBuilder like = new StringBuilder(whole ? "" : "%");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', '\\' -> like.append('\\').append(c);
        default -> like.append(c);
      }
    }
    return like.append(whole ? "" : "%").toString();
  }

  private static Pattern regex(String text) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HostPattern p && p.text.equals(text) && p.whole == whole;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + (whole ? 1 : 0);
  }

  @Override
  public String toString() {
    return text;
  }
}
