package dev.plainsight.capture;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Proxy authentication for a workshop room ({@code --proxy-auth}): HTTP Basic, where the user
 * name is the participant's own name (see {@link ParticipantName}) and the password is one
 * password shared by the room. {@link #check} takes a {@code Proxy-Authorization} value (or
 * null) and says who the client is, or why not. The password is kept and compared only as a
 * SHA-256 digest, in constant time; neither it nor the header ever appears in an outcome.
 * {@link #none()} is the proxy without authentication: everyone is accepted, with no name.
 * Plainsight's own client (the dashboard's replay) signs in as {@value #TRAINER} with a random
 * password made for this run, which never leaves the process ({@link #internalAuthorization}),
 * and is accepted with no participant: a replay is the trainer's and tags nobody. That name, and
 * any that reads as it ({@link ParticipantName#isReserved}), is refused to everyone else, whatever
 * the password.
 */
public final class ProxyAuth {
  public static final String REALM = "Plainsight";

  /** What a credentials check found. */
  public sealed interface Outcome permits Accepted, Missing, Rejected {}

  /** Good credentials; {@code participant} is null when authentication is off. */
  public record Accepted(String participant) implements Outcome {}

  /** No credentials at all: the usual first request of a browser, answered with a challenge. */
  public record Missing() implements Outcome {}

  /** Credentials that do not pass; {@code reason} holds no secret (a valid name at most). */
  public record Rejected(String reason) implements Outcome {}

  /** The participant name of requests Plainsight itself sends (replays from the dashboard). */
  public static final String TRAINER = ParticipantName.RESERVED;

  private final byte[] passwordDigest;
  private final String internalPassword;
  private final byte[] internalDigest;

  private ProxyAuth(byte[] passwordDigest) {
    this.passwordDigest = passwordDigest;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.internalPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    this.internalDigest = sha256(internalPassword.getBytes(StandardCharsets.UTF_8));
  }

  /** No authentication: every request is accepted and tagged with no participant. */
  public static ProxyAuth none() {
    return new ProxyAuth(null);
  }

  /** Basic authentication with the room's shared password (not empty). */
  public static ProxyAuth withRoomPassword(String password) {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the --proxy-auth room password must not be empty");
    }
    return new ProxyAuth(sha256(password.getBytes(StandardCharsets.UTF_8)));
  }

  public boolean enabled() {
    return passwordDigest != null;
  }

  /** The {@code Proxy-Authorization} value of Plainsight's own client; null when auth is off. */
  public String internalAuthorization() {
    if (!enabled()) {
      return null;
    }
    return "Basic " + Base64.getEncoder().encodeToString(
        (TRAINER + ":" + internalPassword).getBytes(StandardCharsets.UTF_8));
  }

  public Outcome check(String proxyAuthorization) {
    if (!enabled()) {
      return new Accepted(null);
    }
    if (proxyAuthorization == null || proxyAuthorization.isBlank()) {
      return new Missing();
    }
    String value = proxyAuthorization.strip();
    if (!value.toLowerCase(Locale.ROOT).startsWith("basic ")) {
      return new Rejected("only Basic proxy authentication is supported");
    }
    String decoded;
    try {
      byte[] raw = Base64.getDecoder().decode(value.substring(6).strip());
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw)).toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return new Rejected("the proxy credentials are not valid Basic credentials");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return new Rejected("the proxy credentials are not valid Basic credentials");
    }
    Optional<String> name = ParticipantName.parse(decoded.substring(0, colon));
    byte[] given = sha256(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    boolean roomPassword = MessageDigest.isEqual(passwordDigest, given);
    boolean internal = MessageDigest.isEqual(internalDigest, given);
    if (name.isEmpty()) {
      return new Rejected("the user name must be your name: 1 to "
          + ParticipantName.MAX_LENGTH + " printable characters, no colon");
    }
    if (internal && name.get().equals(TRAINER)) {
      return new Accepted(null);
    }
    if (ParticipantName.isReserved(name.get())) {
      return new Rejected("the user name \"" + name.get() + "\" is reserved for the trainer: "
          + "sign in with your own name");
    }
    if (!roomPassword) {
      return new Rejected("wrong room password for user \"" + name.get() + "\"");
    }
    return new Accepted(name.get());
  }

  @Override
  public String toString() {
    return enabled() ? "ProxyAuth[Basic, room password set]" : "ProxyAuth[off]";
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }
}
