package dev.plainsight.dashboard;

import dev.plainsight.ca.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The trainer's dashboard token, kept owner-only (mode 600) in the data directory ({@value
 * #FILE}) and reused by the next start, so a bookmarked dashboard URL keeps working. {@link
 * #loadOrCreate} with {@code renew} makes a new one ({@code --new-token}). A file that is not a
 * token (malformed), or that group or others could read, or that another user owns, is replaced
 * by a new token, and {@link #notice} says so: the old URL may have leaked, and a trainer would
 * rather get a new URL than no start. A file that cannot be read at all is refused with one line
 * (it is someone else's or broken; replacing it silently could hide that).
 */
public record TrainerToken(String value, String notice) {
  public static final String FILE = "dashboard-token";
  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{48}");

  /** The kept token, or a new one written in its place (the notice says which and why). */
  public static TrainerToken loadOrCreate(Path dataDir, boolean renew) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      if (renew) {
        return replace(file, "new (--new-token): the old dashboard URL no longer works");
      }
      if (!Files.exists(file)) {
        return replace(file, "new, kept in " + file + " for the next start");
      }
      String exposed = exposure(file);
      if (exposed != null) {
        return replace(file, "new: " + file + " was " + exposed + ", so the old token may have "
            + "leaked; the old dashboard URL no longer works");
      }
      String kept;
      try {
        kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
      } catch (AccessDeniedException e) {
        throw new IllegalStateException("the dashboard token file " + file + " cannot be read ("
            + e.getMessage() + "): make it readable by the user running Plainsight, or start "
            + "with --new-token to replace it");
      } catch (java.nio.charset.MalformedInputException e) {
        kept = "";
      }
      if (!TOKEN.matcher(kept).matches()) {
        return replace(file, "new: " + file + " did not hold a token (48 hex digits); the old "
            + "dashboard URL no longer works");
      }
      return new TrainerToken(kept, "kept from " + file + " (--new-token makes a new one)");
    } catch (IOException e) {
      throw new IllegalStateException("the dashboard token file " + file + " cannot be read or "
          + "written (" + e + "): fix or remove it (a new token is then made), or check that the "
          + "data directory is writable", e);
    }
  }

  private static TrainerToken replace(Path file, String notice) throws IOException {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    Files.deleteIfExists(file);
    KeyFiles.writeNew(file, token + "\n", "rw-------");
    return new TrainerToken(token, notice);
  }

  /** Why others could have read the file, or null when only its owner, the running user, can. */
  private static String exposure(Path file) throws IOException {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException noPosix) {
      return null;
    }
    if (permissions.contains(PosixFilePermission.GROUP_READ)
        || permissions.contains(PosixFilePermission.OTHERS_READ)) {
      return "readable by group or others";
    }
    String owner = Files.getOwner(file).getName();
    if (!owner.equals(System.getProperty("user.name"))) {
      return "owned by " + owner + ", not by the user running Plainsight";
    }
    return null;
  }
}
