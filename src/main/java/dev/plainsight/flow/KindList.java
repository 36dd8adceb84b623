package dev.plainsight.flow;

import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code kind} filter: a comma list of kinds ({@code http,https-decrypted}), negated as a
 * whole by a leading {@code !} ({@code !error}: every kind but errors). Empty matches every kind.
 */
public record KindList(Set<FlowKind> kinds, boolean negated) {
  public static final KindList ANY = new KindList(Set.of(), false);

  public KindList {
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
  }

  public static KindList of(FlowKind kind) {
    return kind == null ? ANY : new KindList(Set.of(kind), false);
  }

  public static KindList parse(String text) {
    if (text == null || text.isBlank()) {
      return ANY;
    }
    String list = text.strip();
    boolean negated = list.startsWith("!");
    if (negated) {
      list = list.substring(1);
    }
    Set<FlowKind> kinds = EnumSet.noneOf(FlowKind.class);
    for (String value : list.split(",", -1)) {
      String name = value.strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("kind: an empty value (two commas in a row?)");
      }
      try {
        kinds.add(FlowKind.fromWire(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("kind: unknown flow kind \"" + name + "\" (use http, "
            + "https-decrypted, https-tunnel, https-rejected or error, comma-separated, "
            + "with a leading ! to exclude them)");
      }
    }
    return new KindList(kinds, negated);
  }

  public boolean isAny() {
    return kinds.isEmpty();
  }

  public boolean test(FlowKind kind) {
    return isAny() || kinds.contains(kind) != negated;
  }
}
