package dev.plainsight.dashboard;

import dev.plainsight.ca.KeyFiles;
import dev.plainsight.capture.ParticipantName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens for read-only participant links: {@code p.<name, base64url>.<HMAC-SHA256 of the name>},
 * keyed by a secret kept owner-only in the data directory ({@value #FILE}), so links survive a
 * restart and nothing per participant is stored. Deleting the file revokes every link at the
 * next start. The MAC is checked in constant time; a token for a name that breaks the
 * {@link ParticipantName} rule, or reads as the trainer's ({@link ParticipantName#isReserved}), is
 * never made and never valid.
 */
final class ParticipantLinks {
  static final String FILE = "participant-links.key";
  private static final String PREFIX = "p.";
  private static final String CONTEXT = "plainsight participant link\0";

  private final byte[] secret;

  private ParticipantLinks(byte[] secret) {
    this.secret = secret;
  }

  /** Loads the secret from {@code dataDir}, or makes one there (mode 600). */
  static ParticipantLinks loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          KeyFiles.writeNew(file, HexFormat.of().formatHex(fresh) + "\n", "rw-------");
        } catch (FileAlreadyExistsException raced) {
          // another start wrote it first: read that one
        }
      }
      byte[] secret = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII)
          .strip());
      if (secret.length < 16) {
        throw new IllegalArgumentException("too short");
      }
      return new ParticipantLinks(secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file + " (the key of participant "
          + "links): " + e.getMessage() + "; check that the data directory is writable", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not a participant link key: delete it, and "
          + "Plainsight makes a new one (old participant links stop working)", e);
    }
  }

  /** For tests: links keyed by the given secret. */
  static ParticipantLinks withSecret(byte[] secret) {
    return new ParticipantLinks(secret.clone());
  }

  /** The token of a valid participant name. */
  String token(String participant) {
    String name = ParticipantName.parse(participant).orElseThrow(
        () -> new IllegalArgumentException("not a participant name: 1 to "
            + ParticipantName.MAX_LENGTH + " printable characters, no colon"));
    if (ParticipantName.isReserved(name)) {
      throw new IllegalArgumentException("\"" + name + "\" is the trainer's name, not a "
          + "participant's: the trainer uses the URL Plainsight printed");
    }
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return PREFIX + base64.encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "."
        + base64.encodeToString(mac(name));
  }

  /** The participant a token was made for, or empty when it is not one of ours. */
  Optional<String> participant(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int dot = token.indexOf('.', PREFIX.length());
    if (dot < 0) {
      return Optional.empty();
    }
    try {
      Base64.Decoder base64 = Base64.getUrlDecoder();
      String name = new String(base64.decode(token.substring(PREFIX.length(), dot)),
          StandardCharsets.UTF_8);
      byte[] given = base64.decode(token.substring(dot + 1));
      if (ParticipantName.parse(name).filter(name::equals).isEmpty()
          || ParticipantName.isReserved(name)) {
        return Optional.empty();
      }
      return MessageDigest.isEqual(mac(name), given) ? Optional.of(name) : Optional.empty();
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }

  private byte[] mac(String name) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal((CONTEXT + name).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this Java", e);
    }
  }
}
