package dev.plainsight.tamper;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One rewrite rule: on exchanges whose host matches {@code host} (a glob), in the {@code phase}
 * (request on its way to the origin, response on its way to the client), replace every
 * occurrence of {@code match} in the {@code part} (the header lines as {@code Name: value}, or
 * the body as text) by {@code replace}. {@code match} is literal text unless {@code regex}, then
 * a Java regular expression whose replacement may use {@code $1}. The constructor validates and
 * throws {@link IllegalArgumentException} with a message fit for the user.
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
            + "expression: " + e.getDescription());
      }
    }
  }

  /** The part's name as flows show it: {@code request-header}, {@code response-body}, ... */
  public String partName() {
    return wire(phase) + "-" + wire(part);
  }

  /** The text with every match replaced (the same string when nothing matched). */
  public String apply(String text) {
    if (!regex) {
      return text.replace(match, replace);
    }
    Matcher matcher = Pattern.compile(match).matcher(text);
    return matcher.find() ? matcher.replaceAll(replace) : text;
  }

  boolean appliesTo(String targetHost) {
    return enabled && HostGlob.of(host).matches(targetHost);
  }

  public static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
