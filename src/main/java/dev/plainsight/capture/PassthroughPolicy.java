package dev.plainsight.capture;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides per CONNECT host whether HTTPS is tunnelled untouched instead of intercepted. Hosts are
 * matched case-insensitively against globs where {@code *} matches any run of characters
 * ({@code *.bank.example}, {@code 10.0.*}). The list can change while the proxy runs.
 */
public final class PassthroughPolicy {
  private final List<String> globs = new CopyOnWriteArrayList<>();
  private volatile List<Pattern> patterns = List.of();

  public PassthroughPolicy(List<String> initialGlobs) {
    replace(initialGlobs);
  }

  public static PassthroughPolicy interceptAll() {
    return new PassthroughPolicy(List.of());
  }

  public boolean tunnels(String host) {
    String normalized = normalize(host);
    for (Pattern pattern : patterns) {
      if (pattern.matcher(normalized).matches()) {
        return true;
      }
    }
    return false;
  }

  public List<String> globs() {
    return List.copyOf(globs);
  }

  public synchronized void replace(List<String> newGlobs) {
    List<String> cleaned = newGlobs.stream().map(String::trim).filter(g -> !g.isEmpty())
        .map(PassthroughPolicy::normalize).distinct().toList();
    globs.clear();
    globs.addAll(cleaned);
    patterns = cleaned.stream().map(PassthroughPolicy::compile).toList();
  }

  private static Pattern compile(String glob) {
    return Pattern.compile(Arrays.stream(glob.split("\\*", -1))
        .map(Pattern::quote)
        .collect(Collectors.joining(".*")));
  }

  private static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.startsWith("[") && lower.endsWith("]")) {
      lower = lower.substring(1, lower.length() - 1);
    }
    return lower;
  }
}
