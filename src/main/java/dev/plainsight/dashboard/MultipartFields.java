package dev.plainsight.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The text fields of a {@code multipart/form-data} body (parts with a {@code name} and no {@code
 * filename}), handed one by one to a consumer: at most {@code maxParts}, searched byte by byte
 * for the boundary (at most 200 bytes long), so the work is bounded by the body's length times
 * the boundary's. A body without a usable boundary yields nothing.
 */
final class MultipartFields {
  private MultipartFields() {}

  static void each(byte[] body, String contentType, int maxParts, BiConsumer<String, String> field) {
    String boundary = param(contentType, "boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
      return;
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    for (int parts = 0; at >= 0 && parts < maxParts; parts++) {
      int start = at + delimiter.length;
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        return;
      }
      part(body, start, next, field);
      at = next;
    }
  }

  private static void part(byte[] body, int start, int end, BiConsumer<String, String> field) {
    byte[] blank = {'\r', '\n', '\r', '\n'};
    int headersEnd = indexOf(body, blank, start);
    if (headersEnd < 0 || headersEnd >= end) {
      return;
    }
    String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
    String name = null;
    for (String line : headers.split("\r\n", 20)) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
        if (param(line, "filename") != null) {
          return;
        }
        name = param(line, "name");
      }
    }
    int valueEnd = end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n' ? end - 2 : end;
    int valueStart = headersEnd + blank.length;
    if (name != null && valueEnd >= valueStart) {
      field.accept(name, new String(body, valueStart, valueEnd - valueStart,
          StandardCharsets.UTF_8));
    }
  }

  /** A header parameter ({@code name="x"} or {@code name=x}), or null. */
  static String param(String header, String wanted) {
    for (String part : header.split(";", 20)) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(wanted)) {
        String value = p.substring(eq + 1).trim();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
            ? value.substring(1, value.length() - 1) : value;
      }
    }
    return null;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
