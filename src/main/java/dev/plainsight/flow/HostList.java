package dev.plainsight.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code host} filter: a comma list of {@link HostPattern}s, any of which may match, the whole
 * list negated by a leading {@code !} ({@code !*.googleapis.com,*.mozilla.com}: neither). A flow
 * without a host matches no pattern, so it passes a negated list only.
 */
public record HostList(List<HostPattern> patterns, boolean negated) {
  public static final HostList ANY = new HostList(List.of(), false);

  public HostList {
    patterns = List.copyOf(patterns);
  }

  /** Parses {@code a,b*,!…}; null or blank is {@link #ANY}; a malformed value throws. */
  public static HostList parse(String text) {
    if (text == null || text.isBlank()) {
      return ANY;
    }
    String list = text.strip();
    boolean negated = list.startsWith("!");
    if (negated) {
      list = list.substring(1);
    }
    List<HostPattern> patterns = new ArrayList<>();
    for (String value : list.split(",", -1)) {
      if (value.strip().startsWith("!")) {
        throw new IllegalArgumentException("host: '!' negates the whole list and goes first only");
      }
      try {
        patterns.add(HostPattern.filterValue(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("host: " + e.getMessage());
      }
    }
    return new HostList(patterns, negated);
  }

  /** A list of whole-name globs (the background hosts); a malformed glob throws. */
  public static HostList ofGlobs(List<String> globs) {
    return new HostList(globs.stream().map(HostPattern::glob).toList(), false);
  }

  public boolean isAny() {
    return patterns.isEmpty();
  }

  /** Whether some pattern matches the host (the negation left out). */
  public boolean anyMatches(String host) {
    for (HostPattern pattern : patterns) {
      if (pattern.matches(host)) {
        return true;
      }
    }
    return false;
  }

  public boolean test(String host) {
    return isAny() || anyMatches(host) != negated;
  }
}
