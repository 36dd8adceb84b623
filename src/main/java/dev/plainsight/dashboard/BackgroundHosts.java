package dev.plainsight.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.HostList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The hosts of browsers' and operating systems' own services (whole-name globs): flows to them are
 * "background". The list starts as the documented resource {@code background-hosts.txt}; once a
 * trainer replaces it ({@link #replace}), it is kept owner-only in the data directory as {@code
 * background-hosts.json} ({@code {"hosts": [...]}}) and read from there at each start. Whether a
 * flow is background is decided when it is read, never stored: a changed list applies at once to
 * every flow already captured. Thread-safe; readers see one whole list.
 */
final class BackgroundHosts {
  static final String FILE = "background-hosts.json";
  static final String RESOURCE = "/dev/plainsight/background-hosts.txt";
  static final int MAX_GLOBS = 2000;

  private final Path file;
  private final ObjectMapper json;
  private volatile Snapshot current;

  private record Snapshot(List<String> globs, HostList patterns) {}

  private BackgroundHosts(Path file, ObjectMapper json, List<String> globs) {
    this.file = file;
    this.json = json;
    this.current = snapshot(globs);
  }

  /** The kept list in {@code dataDir}, or the shipped defaults when there is none. */
  static BackgroundHosts load(Path dataDir, ObjectMapper json) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        JsonNode hosts = json.readTree(file.toFile()).get("hosts");
        List<String> globs = new ArrayList<>();
        if (hosts != null) {
          hosts.forEach(h -> globs.add(h.asText()));
        }
        return new BackgroundHosts(file, json, globs);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not a background host list ("
          + e.getMessage() + "): fix it or delete it to get the defaults back", e);
    }
    return new BackgroundHosts(file, json, defaults());
  }

  /** The shipped list: one glob a line, {@code #} comments. */
  static List<String> defaults() {
    try (InputStream in = BackgroundHosts.class.getResourceAsStream(RESOURCE)) {
      List<String> globs = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String glob = line.strip();
        if (!glob.isEmpty() && !glob.startsWith("#")) {
          globs.add(glob);
        }
      }
      return globs;
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the jar lacks " + RESOURCE, e);
    }
  }

  List<String> globs() {
    return current.globs();
  }

  HostList patterns() {
    return current.patterns();
  }

  boolean isBackground(Flow flow) {
    return current.patterns().anyMatches(flow.host());
  }

  /** Adds {@code "background": true|false} to a flow's JSON. */
  Map<String, Object> mark(Map<String, Object> flowJson, Flow flow) {
    flowJson.put("background", isBackground(flow));
    return flowJson;
  }

  /** Validates, keeps and applies a new list; a malformed glob throws, naming it. */
  synchronized void replace(List<String> globs) throws IOException {
    if (globs.size() > MAX_GLOBS) {
      throw new IllegalArgumentException("at most " + MAX_GLOBS + " background hosts");
    }
    Snapshot next = snapshot(globs);
    save(next.globs());
    current = next;
  }

  private static Snapshot snapshot(List<String> globs) {
    List<String> cleaned = new ArrayList<>(new LinkedHashSet<>(globs.stream()
        .map(g -> g == null ? "" : g.strip().toLowerCase(java.util.Locale.ROOT))
        .filter(g -> !g.isEmpty()).toList()));
    return new Snapshot(List.copyOf(cleaned), HostList.ofGlobs(cleaned));
  }

  private void save(List<String> globs) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    FileAttribute<?>[] ownerOnly =
        Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + FILE, ".tmp", ownerOnly);
    try {
      Files.write(temp, json.writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(Map.of("hosts", globs)));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the background list in " + file, e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
