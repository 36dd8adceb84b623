package dev.plainsight.tamper;

import dev.plainsight.flow.Header;
import dev.plainsight.flow.Modification;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Applies header rules to a header list. Each rule sees every header as one line {@code Name:
 * value} and replaces in it: a line that becomes empty removes the header, a line that becomes
 * several lines (with {@code \n}) adds headers. A resulting line that is not {@code Name: value}
 * with a valid name is not applied (noted instead). All the rules share a {@link TimeBudget}:
 * when it runs out, the headers pass unchanged and the notes say which rule timed out.
 */
public final class HeaderRewrite {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private HeaderRewrite() {}

  /** The headers after the rules, and one modification per rule that changed or failed. */
  public record Result(List<Header> headers, List<Modification> modifications) {
    public boolean changed() {
      return modifications.stream().anyMatch(Modification::changed);
    }
  }

  public static Result apply(List<TamperRule> rules, List<Header> headers) {
    List<Header> current = headers;
    List<Modification> modifications = new ArrayList<>();
    TimeBudget budget = TimeBudget.start();
    for (TamperRule rule : rules) {
      List<Header> next = new ArrayList<>();
      String problem = null;
      try {
        for (Header header : current) {
          String line = header.name() + ": " + header.value();
          String rewritten = rule.apply(line, budget);
          if (rewritten.equals(line)) {
            next.add(header);
            continue;
          }
          List<Header> replacement = new ArrayList<>();
          for (String part : rewritten.split("\r?\n")) {
            Header parsed = part.isBlank() ? null : parse(part);
            if (parsed == null && !part.isBlank()) {
              problem = "left a header alone: \"" + part + "\" is not a header line (Name: value)";
              replacement = List.of(header);
              break;
            }
            if (parsed != null) {
              replacement.add(parsed);
            }
          }
          next.addAll(replacement);
        }
      } catch (TimeBudget.TimedOut e) {
        return new Result(headers, TimedOutNotes.of(rules, rule, budget, "headers"));
      } catch (RuntimeException e) {
        modifications.add(Modification.untouched(rule.name(), rule.partName(),
            "the rule failed: " + e.getMessage()));
        continue;
      }
      if (!next.equals(current)) {
        Excerpt excerpt = Excerpt.of(text(current), text(next));
        modifications.add(new Modification(rule.name(), rule.partName(), excerpt.before(),
            excerpt.after(), problem));
        current = next;
      } else if (problem != null) {
        modifications.add(Modification.untouched(rule.name(), rule.partName(), problem));
      }
    }
    return new Result(current, modifications);
  }

  private static Header parse(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String name = line.substring(0, colon).trim();
    if (!TOKEN.matcher(name).matches()) {
      return null;
    }
    return new Header(name, line.substring(colon + 1).trim());
  }

  static String text(List<Header> headers) {
    StringBuilder out = new StringBuilder();
    for (Header header : headers) {
      out.append(header.name()).append(": ").append(header.value()).append('\n');
    }
    return out.toString();
  }
}
