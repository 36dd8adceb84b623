package dev.plainsight.tamper;

import dev.plainsight.flow.Header;
import dev.plainsight.flow.Modification;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Body rules on a whole body held in memory. {@link #refusal} says before any byte is held
 * whether a body may be rewritten at all (text, not compressed, not too large); {@link #apply}
 * decodes it in its declared charset (UTF-8 without one), applies the rules in order and encodes
 * it again. Bytes that are not valid text in that charset are left alone. All the rules of one
 * body share a {@link TimeBudget}: when it runs out, the body passes unchanged and the notes say
 * which rule timed out.
 */
public final class BodyRewrite {
  /** The largest body held back to be rewritten. */
  public static final int MAX_BODY = 2 * 1024 * 1024;

  private BodyRewrite() {}

  /** The body after the rules, and one modification per rule that changed or failed. */
  public record Result(byte[] body, List<Modification> modifications) {}

  /**
   * Why this body cannot be rewritten, judged from its headers alone; empty when it can. {@code
   * declaredLength} is -1 when unknown.
   */
  public static Optional<String> refusal(List<Header> headers, long declaredLength) {
    String encoding = header(headers, "Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
      return Optional.of("left untouched: the body is compressed (Content-Encoding: " + encoding.trim()
          + "); body rules work on uncompressed text only");
    }
    String type = header(headers, "Content-Type");
    if (type != null && !isText(type)) {
      return Optional.of("left untouched: " + type.trim() + " is not text");
    }
    if (declaredLength > MAX_BODY) {
      return Optional.of("left untouched: the body (" + declaredLength + " bytes) is larger than "
          + MAX_BODY + " bytes, the most the proxy holds back to rewrite");
    }
    return Optional.empty();
  }

  public static Result apply(List<TamperRule> rules, byte[] body, List<Header> headers) {
    Charset charset = charset(header(headers, "Content-Type"));
    String original;
    try {
      original = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      List<Modification> notes = rules.stream().map(rule -> Modification.untouched(rule.name(),
          rule.partName(), "left untouched: the body is not valid " + charset.name() + " text"))
          .toList();
      return new Result(body, notes);
    }
    String text = original;
    List<Modification> modifications = new ArrayList<>();
    TimeBudget budget = TimeBudget.start();
    for (TamperRule rule : rules) {
      String next;
      try {
        next = rule.apply(text, budget);
      } catch (TimeBudget.TimedOut e) {
        return new Result(body, TimedOutNotes.of(rules, rule, budget, "body"));
      } catch (RuntimeException e) {
        modifications.add(Modification.untouched(rule.name(), rule.partName(),
            "the rule failed: " + e.getMessage()));
        continue;
      }
      if (!next.equals(text)) {
        Excerpt excerpt = Excerpt.of(text, next);
        modifications.add(new Modification(rule.name(), rule.partName(), excerpt.before(),
            excerpt.after()));
        text = next;
      }
    }
    return new Result(text == original ? body : text.getBytes(charset), modifications);
  }

  static boolean isText(String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
    return type.startsWith("text/") || type.endsWith("json") || type.endsWith("+xml")
        || type.equals("application/xml") || type.equals("application/javascript")
        || type.equals("application/x-www-form-urlencoded") || type.isEmpty();
  }

  static Charset charset(String contentType) {
    if (contentType != null) {
      for (String param : contentType.split(";")) {
        String[] pair = param.trim().split("=", 2);
        if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
          try {
            return Charset.forName(pair[1].trim().replace("\"", ""));
          } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
          }
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  static String header(List<Header> headers, String name) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase(name)) {
        return header.value();
      }
    }
    return null;
  }
}
