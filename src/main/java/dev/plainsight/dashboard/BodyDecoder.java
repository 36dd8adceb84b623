package dev.plainsight.dashboard;

import dev.plainsight.flow.Header;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * Undoes the Content-Encoding of a captured body for display (gzip, deflate, br), capped so a
 * decompression bomb cannot exhaust memory. Only ever used for showing; what the proxy forwards is
 * never decoded.
 */
final class BodyDecoder {
  static final int MAX_DECODED = 16 * 1024 * 1024;

  private BodyDecoder() {}

  /** The decoded bytes, or the input unchanged when there is no (known) encoding. */
  static byte[] decode(byte[] body, List<Header> headers) throws IOException {
    String encoding = contentEncoding(headers);
    if (encoding == null || encoding.equals("identity")) {
      return body;
    }
    try (InputStream in = open(encoding, new ByteArrayInputStream(body))) {
      return in == null ? body : in.readNBytes(MAX_DECODED);
    }
  }

  private static InputStream open(String encoding, InputStream raw) throws IOException {
    return switch (encoding) {
      case "gzip", "x-gzip" -> new GZIPInputStream(raw);
      case "deflate" -> new InflaterInputStream(raw);
      case "br" -> new BrotliInputStream(raw);
      default -> null;
    };
  }

  private static String contentEncoding(List<Header> headers) {
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase("Content-Encoding")) {
        return header.value().trim().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }
}
