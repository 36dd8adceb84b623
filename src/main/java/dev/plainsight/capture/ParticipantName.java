package dev.plainsight.capture;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rule for a participant's name (the proxy user name under {@code --proxy-auth}): trimmed,
 * 1 to 40 characters, printable, no control or invisible formatting characters, no colon (HTTP
 * Basic puts a colon between name and password). {@link #isReserved} says whether a valid name
 * stands for the trainer ({@value #RESERVED} in any case, width or accent, or spelt with Cyrillic
 * or Greek letters that look like it): such a name is never a participant's.
 */
public final class ParticipantName {
  public static final int MAX_LENGTH = 40;
  /** The name no participant may take. */
  public static final String RESERVED = "trainer";

  /** Cyrillic and Greek letters that look like the Latin letters of {@value #RESERVED}. */
  private static final Map<Integer, Character> LOOK_ALIKES = Map.ofEntries(
      Map.entry(0x0430, 'a'), Map.entry(0x0435, 'e'), Map.entry(0x0456, 'i'),
      Map.entry(0x0442, 't'), Map.entry(0x0433, 'r'), Map.entry(0x0131, 'i'),
      Map.entry(0x03B1, 'a'), Map.entry(0x03B5, 'e'), Map.entry(0x03B9, 'i'),
      Map.entry(0x03C4, 't'), Map.entry(0x03BD, 'n'), Map.entry(0x0578, 'n'));

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

  /**
   * True when the name reads as {@value #RESERVED}: compared after compatibility folding (NFKC:
   * full-width and styled letters), without accents, in lower case, with look-alike letters
   * taken as the Latin ones they resemble.
   */
  public static boolean isReserved(String name) {
    if (name == null) {
      return false;
    }
    String folded = Normalizer.normalize(Normalizer.normalize(name.strip(), Normalizer.Form.NFKC),
        Normalizer.Form.NFD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
    StringBuilder skeleton = new StringBuilder();
    folded.codePoints().forEach(c -> skeleton.append(
        LOOK_ALIKES.containsKey(c) ? LOOK_ALIKES.get(c).toString() : Character.toString(c)));
    return skeleton.toString().equals(RESERVED);
  }

  private static boolean printable(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }
}
