package dev.plainsight.store;

import dev.plainsight.flow.Header;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Content-Encoding for HAR import: reads the header and redoes gzip and deflate (a HAR holds
 * decoded text). Undoing a coding is {@link ContentDecoder}'s alone, for the store and the
 * dashboard alike. Never touches what the proxy forwards.
 */
final class ContentCoding {
  private ContentCoding() {}

  /** The value of the first header of that name, or null. */
  static String header(List<Header> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Header header : headers) {
      if (header != null && name.equalsIgnoreCase(header.name())) {
        return header.value();
      }
    }
    return null;
  }

  /** The Content-Encoding in lower case, or null when there is none or it is identity. */
  static String of(List<Header> headers) {
    String value = header(headers, "Content-Encoding");
    if (value == null) {
      return null;
    }
    String coding = value.trim().toLowerCase(Locale.ROOT);
    return coding.isEmpty() || coding.equals("identity") ? null : coding;
  }

  /** The bytes encoded with gzip or deflate, or null for a coding this class cannot produce. */
  static byte[] encode(byte[] plain, String coding) {
    if (coding == null) {
      return plain;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 2));
    try {
      OutputStream encoder = switch (coding) {
        case "gzip", "x-gzip" -> new GZIPOutputStream(out);
        case "deflate" -> new DeflaterOutputStream(out);
        default -> null;
      };
      if (encoder == null) {
        return null;
      }
      try (encoder) {
        encoder.write(plain);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
