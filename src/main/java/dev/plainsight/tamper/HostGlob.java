package dev.plainsight.tamper;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A host name pattern where {@code *} matches any run of characters, case-insensitively. */
record HostGlob(String glob, Pattern pattern) {

  static HostGlob of(String glob) {
    String normalized = normalize(glob.trim());
    return new HostGlob(normalized, Pattern.compile(Arrays.stream(normalized.split("\\*", -1))
        .map(Pattern::quote).collect(Collectors.joining(".*"))));
  }

  boolean matches(String host) {
    return host != null && pattern.matcher(normalize(host)).matches();
  }

  private static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1)
        : lower;
  }
}
