package dev.plainsight.capture;

import java.util.Optional;

/**
 * The rule for a participant's name (the proxy user name under {@code --proxy-auth}): trimmed,
 * 1 to 40 characters, printable, no control or invisible formatting characters, no colon (HTTP
 * Basic puts a colon between name and password).
 */
public final class ParticipantName {
  public static final int MAX_LENGTH = 40;

  private ParticipantName() {}

  /** The name as it will be stored, or empty when it breaks the rule. */
  public static Optional<String> parse(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String name = raw.strip();
    int length = name.codePointCount(0, name.length());
    if (length < 1 || length > MAX_LENGTH || name.indexOf(':') >= 0) {
      return Optional.empty();
    }
    boolean printable = name.codePoints().allMatch(ParticipantName::printable);
    return printable ? Optional.of(name) : Optional.empty();
  }

  private static boolean printable(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }
}
