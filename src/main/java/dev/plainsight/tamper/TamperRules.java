package dev.plainsight.tamper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plainsight.store.OwnerOnly;
import dev.plainsight.tamper.TamperRule.Part;
import dev.plainsight.tamper.TamperRule.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live list of tamper rules: read by the proxy on every exchange, replaced whole by the
 * dashboard ({@link #replace}), and kept in a small JSON file so it survives a restart. Thread-safe:
 * readers see either the old list or the new one.
 */
public final class TamperRules {
  /** The file in the data directory that keeps the rules. */
  public static final String FILE_NAME = "tamper-rules.json";
  private static final Logger LOG = LoggerFactory.getLogger(TamperRules.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private volatile List<TamperRule> rules;

  private TamperRules(Path file, List<TamperRule> rules) {
    this.file = file;
    this.rules = List.copyOf(rules);
  }

  /** Rules kept only in memory (tests, or no data directory). */
  public static TamperRules inMemory() {
    return new TamperRules(null, List.of());
  }

  /**
   * The rules saved in {@code file}, or none when it does not exist. A file that cannot be read
   * is left as it is (the next save replaces it) and Plainsight starts without rules; a rule that
   * is no longer valid (a regular expression RE2 does not take, saved by an older Plainsight) is
   * left out with one warning naming it.
   */
  public static TamperRules load(Path file) {
    if (!Files.exists(file)) {
      return new TamperRules(file, List.of());
    }
    try {
      OwnerOnly.file(file);
      return new TamperRules(file, parse(JSON.readTree(file.toFile()),
          bad -> LOG.warn("leaving out a tamper rule saved in {}: {}", file, bad.getMessage())));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("ignoring the tamper rules in {}: {}", file, e.getMessage());
      return new TamperRules(file, List.of());
    }
  }

  public List<TamperRule> all() {
    return rules;
  }

  /** True when no enabled rule could touch an exchange with this host in this phase. */
  public boolean noneFor(String host, Phase phase) {
    return forExchange(host, phase, null).isEmpty();
  }

  /** The enabled rules for this host, phase and part (any part when null), in list order. */
  public List<TamperRule> forExchange(String host, Phase phase, Part part) {
    List<TamperRule> current = rules;
    if (current.isEmpty()) {
      return List.of();
    }
    List<TamperRule> out = new ArrayList<>();
    for (TamperRule rule : current) {
      if (rule.phase() == phase && (part == null || rule.part() == part) && rule.appliesTo(host)) {
        out.add(rule);
      }
    }
    return out;
  }

  /** Replaces the whole list and saves it; names must be unique. */
  public synchronized void replace(List<TamperRule> newRules) {
    Set<String> names = new HashSet<>();
    for (TamperRule rule : newRules) {
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("two rules are named \"" + rule.name()
            + "\": names must be unique");
      }
    }
    List<TamperRule> copy = List.copyOf(newRules);
    save(copy);
    rules = copy;
  }

  private void save(List<TamperRule> list) {
    if (file == null) {
      return;
    }
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(temp.toFile(), toJson(list));
      OwnerOnly.file(temp);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the tamper rules to " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** The rules in a JSON array as the API and the file hold them. */
  public static ArrayNode toJson(List<TamperRule> list) {
    ArrayNode array = JSON.createArrayNode();
    for (TamperRule rule : list) {
      ObjectNode node = array.addObject();
      node.put("name", rule.name());
      node.put("enabled", rule.enabled());
      node.put("host", rule.host());
      node.put("phase", TamperRule.wire(rule.phase()));
      node.put("part", TamperRule.wire(rule.part()));
      node.put("match", rule.match());
      node.put("replace", rule.replace());
      node.put("regex", rule.regex());
    }
    return array;
  }

  /**
   * Rules from a JSON array (or {@code {"rules": [...]}}); throws {@link IllegalArgumentException}
   * naming the first bad rule and what is wrong with it.
   */
  public static List<TamperRule> parse(JsonNode json) {
    return parse(json, bad -> {
      throw bad;
    });
  }

  /** As {@link #parse(JsonNode)}, but a bad rule goes to {@code onBadRule} instead. */
  private static List<TamperRule> parse(JsonNode json,
      Consumer<IllegalArgumentException> onBadRule) {
    JsonNode array = json != null && json.isObject() ? json.get("rules") : json;
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("expected a JSON array of rules: [{\"name\": ..., "
          + "\"host\": \"*\", \"phase\": \"response\", \"part\": \"body\", \"match\": ..., "
          + "\"replace\": ...}]");
    }
    List<TamperRule> out = new ArrayList<>();
    for (JsonNode node : array) {
      if (!node.isObject()) {
        throw new IllegalArgumentException("rule " + (out.size() + 1) + " is not a JSON object");
      }
      try {
        out.add(new TamperRule(text(node, "name"),
            !node.has("enabled") || node.get("enabled").asBoolean(), text(node, "host"),
            choice(node, "phase", Phase.class), choice(node, "part", Part.class),
            text(node, "match"), text(node, "replace"),
            node.has("regex") && node.get("regex").asBoolean()));
      } catch (IllegalArgumentException e) {
        onBadRule.accept(e);
      }
    }
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static <E extends Enum<E>> E choice(JsonNode node, String field, Class<E> type) {
    String value = text(node, field);
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rule \"" + text(node, "name") + "\": " + field
          + " \"" + value + "\" is not one of " + List.of(type.getEnumConstants()).stream()
              .map(TamperRule::wire).toList());
    }
  }
}
