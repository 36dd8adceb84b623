package dev.plainsight.tamper;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Locale;

/**
 * One rewrite rule: on exchanges whose host matches {@code host} (a glob), in the {@code phase}
 * (request on its way to the origin, response on its way to the client), replace every
 * occurrence of {@code match} in the {@code part} (the header lines as {@code Name: value}, or
 * the body as text) by {@code replace}. {@code match} is literal text unless {@code regex}, then
 * a regular expression in RE2 syntax (run by RE2/J, in linear time: Java's syntax without
 * back-references, look-around, possessive quantifiers or atomic groups), whose replacement may
 * use {@code $1} and {@code ${name}} ({@code \$} for a dollar; a {@code $} not followed by a
 * group is literal). The constructor validates and throws {@link IllegalArgumentException} with a
 * message fit for the user.
 */
public record TamperRule(String name, boolean enabled, String host, Phase phase, Part part,
    String match, String replace, boolean regex) {

  /** Where in the exchange a rule acts. */
  public enum Phase { REQUEST, RESPONSE }

  /** Which part of the message a rule rewrites. */
  public enum Part { HEADER, BODY }

  static final int MAX_TEXT = 4096;

  public TamperRule {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("every rule needs a name");
    }
    name = name.trim();
    host = host == null || host.isBlank() ? "*" : host.trim();
    if (phase == null) {
      throw new IllegalArgumentException("rule \"" + name + "\": phase must be request or response");
    }
    if (part == null) {
      throw new IllegalArgumentException("rule \"" + name + "\": part must be header or body");
    }
    if (phase == Phase.REQUEST && part == Part.BODY) {
      throw new IllegalArgumentException("rule \"" + name + "\": request bodies cannot be "
          + "rewritten (the proxy forwards them as they arrive); use a request header rule or a "
          + "response rule");
    }
    if (match == null || match.isEmpty()) {
      throw new IllegalArgumentException("rule \"" + name + "\": match is required (the text to find)");
    }
    replace = replace == null ? "" : replace;
    if (name.length() > 100 || match.length() > MAX_TEXT || replace.length() > MAX_TEXT
        || host.length() > 253) {
      throw new IllegalArgumentException("rule \"" + name + "\": name up to 100 characters, "
          + "match and replace up to " + MAX_TEXT);
    }
    if (regex) {
      try {
        Pattern.compile(match);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("rule \"" + name + "\": match is not a valid regular "
            + "expression: " + e.getDescription() + " `" + e.getPattern() + "` (rules use RE2 "
            + "syntax, which runs in linear time: no back-references, look-ahead or look-behind, "
            + "possessive quantifiers or atomic groups)");
      }
    }
  }

  /** The part's name as flows show it: {@code request-header}, {@code response-body}, ... */
  public String partName() {
    return wire(phase) + "-" + wire(part);
  }

  /** The text with every match replaced (the same string when nothing matched). */
  public String apply(String text) {
    return apply(text, TimeBudget.start());
  }

  /** As {@link #apply(String)}; throws {@link TimeBudget.TimedOut} once the budget is spent. */
  String apply(String text, TimeBudget budget) {
    if (!regex) {
      return text.replace(match, replace);
    }
    Matcher matcher = Pattern.compile(match).matcher(budget.watch(text));
    return matcher.find() ? matcher.replaceAll(replace) : text;
  }

  boolean appliesTo(String targetHost) {
    return enabled && HostGlob.of(host).matches(targetHost);
  }

  public static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
