package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.WebSocketMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What full-text search and HAR see of a flow as text: the URL, error and header lines of a flow
 * (and the first text messages of a WebSocket flow);
 * a body's text when its Content-Type (or, without one, its bytes) says it is text, after undoing
 * its content coding. Binary bodies have no text.
 */
final class Texts {
  private static final int SNIFF = 512;
  /** At most this much of a WebSocket flow's text messages is searchable. */
  private static final int MESSAGE_CHARS = 65_536;

  private Texts() {}

  /** URL, host, error, SNI and every header line of the flow, one per line. */
  static String ofFlow(Flow flow) {
    StringBuilder text = new StringBuilder(512);
    line(text, flow.url());
    line(text, flow.host());
    line(text, flow.error());
    if (flow.tls() != null) {
      line(text, flow.tls().sni());
      line(text, flow.tls().alert());
    }
    if (flow.request() != null) {
      headers(text, flow.request().headers());
    }
    if (flow.response() != null) {
      line(text, flow.response().reason());
      headers(text, flow.response().headers());
    }
    int room = MESSAGE_CHARS;
    for (WebSocketMessage message : flow.messages()) {
      if (room <= 0) {
        break;
      }
      if (WebSocketMessage.TEXT.equals(message.type())) {
        String line = new String(message.payload(), StandardCharsets.UTF_8);
        line(text, line.length() > room ? line.substring(0, room) : line);
        room -= line.length();
      }
    }
    return text.toString();
  }

  /** The body's text, at most {@code maxChars} of it, or null when it is not text. */
  static String ofBody(byte[] raw, List<Header> headers, int maxChars) {
    if (raw.length == 0 || maxChars == 0) {
      return null;
    }
    String contentType = ContentCoding.header(headers, "Content-Type");
    Boolean declared = declaredText(contentType);
    if (Boolean.FALSE.equals(declared)) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = ContentDecoder.decode(raw, ContentDecoder.codings(headers), maxChars * 4);
    } catch (IOException e) {
      return null;
    }
    if (declared == null && !looksLikeText(bytes)) {
      return null;
    }
    String text = decodeLenient(bytes, charset(contentType));
    return text.length() > maxChars ? text.substring(0, maxChars) : text;
  }

  /** The bytes as a string when they are valid UTF-8 without control characters, else null. */
  static String strictUtf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b == 0x7f) {
        return null;
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** True for text types, false for known binary types, null when the type does not say. */
  static Boolean declaredText(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("text/") || type.contains("json") || type.contains("xml")
        || type.contains("javascript") || type.contains("ecmascript")
        || type.contains("x-www-form-urlencoded") || type.contains("graphql")
        || type.contains("yaml") || type.contains("csv") || type.contains("x-sh")) {
      return true;
    }
    if (type.startsWith("application/octet-stream") || type.startsWith("multipart/")) {
      return null;
    }
    return false;
  }

  static Charset charset(String contentType) {
    if (contentType != null) {
      for (String part : contentType.split(";")) {
        String p = part.trim();
        if (p.regionMatches(true, 0, "charset=", 0, 8)) {
          try {
            return Charset.forName(p.substring(8).replace("\"", "").trim());
          } catch (RuntimeException ignored) {
            return StandardCharsets.UTF_8;
          }
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static boolean looksLikeText(byte[] bytes) {
    int n = Math.min(bytes.length, SNIFF);
    int odd = 0;
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xff;
      if (b == 0) {
        return false;
      }
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
        odd++;
      }
    }
    if (odd * 20 > n) {
      return false;
    }
    byte[] head = n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
    String decoded = decodeLenient(head, StandardCharsets.UTF_8);
    long replaced = decoded.chars().filter(c -> c == '\uFFFD').count();
    return replaced * 20 <= decoded.length();
  }

  private static String decodeLenient(byte[] bytes, Charset charset) {
    return new String(bytes, charset);
  }

  private static void headers(StringBuilder text, List<Header> headers) {
    for (Header header : headers) {
      if (header != null) {
        text.append(header.name()).append(": ").append(header.value()).append('\n');
      }
    }
  }

  private static void line(StringBuilder text, String value) {
    if (value != null && !value.isEmpty()) {
      text.append(value).append('\n');
    }
  }
}
