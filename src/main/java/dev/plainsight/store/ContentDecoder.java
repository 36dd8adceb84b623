package dev.plainsight.store;

import dev.plainsight.flow.Header;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.brotli.dec.BrotliInputStream;

/**
 * The one decoder of HTTP content codings (gzip, x-gzip, deflate, br, and lists of them such as
 * {@code gzip, br}, undone last first), for showing and indexing captured bodies; what the proxy
 * forwards is never decoded. {@link #codings} reads the list from the headers ({@link
 * UnknownCoding} for one it cannot undo, or more than {@value #MAX_LAYERS}); {@link #open} gives
 * a stream that yields at most {@code max} decoded bytes, holding only the decoders' own windows
 * in memory, so a decompression bomb costs a bounded amount whatever its ratio; {@link #decode}
 * collects such a stream into an array.
 */
public final class ContentDecoder {
  public static final int MAX_LAYERS = 4;

  /** A coding this decoder cannot undo; the message names it. */
  public static final class UnknownCoding extends IOException {
    UnknownCoding(String message) {
      super(message);
    }
  }

  private ContentDecoder() {}

  /** The codings applied, in the order they were applied; empty for none or identity. */
  public static List<String> codings(List<Header> headers) throws UnknownCoding {
    List<String> codings = new ArrayList<>();
    if (headers == null) {
      return codings;
    }
    for (Header header : headers) {
      if (header == null || !"Content-Encoding".equalsIgnoreCase(header.name())) {
        continue;
      }
      for (String part : header.value().split(",")) {
        String coding = part.trim().toLowerCase(Locale.ROOT);
        if (coding.isEmpty() || coding.equals("identity")) {
          continue;
        }
        if (!known(coding)) {
          throw new UnknownCoding("unknown content coding " + coding);
        }
        codings.add(coding);
      }
    }
    if (codings.size() > MAX_LAYERS) {
      throw new UnknownCoding(codings.size() + " content codings on one body (at most "
          + MAX_LAYERS + " are undone)");
    }
    return codings;
  }

  static boolean known(String coding) {
    return switch (coding) {
      case "gzip", "x-gzip", "deflate", "br" -> true;
      default -> false;
    };
  }

  /**
   * The decoded bytes as a stream that ends after {@code max} of them. A body cut short (a capture
   * over its limit) ends where its bytes end; bytes that are not valid for the coding throw.
   */
  public static InputStream open(byte[] raw, List<String> codings, long max) throws IOException {
    InputStream in = new ByteArrayInputStream(raw);
    for (int i = codings.size() - 1; i >= 0; i--) {
      in = layer(codings.get(i), in);
    }
    return new Capped(in, max);
  }

  /** At most {@code max} decoded bytes; the input itself when there is no coding. */
  public static byte[] decode(byte[] raw, List<String> codings, int max) throws IOException {
    if (codings.isEmpty()) {
      return raw;
    }
    try (InputStream in = open(raw, codings, max)) {
      return in.readNBytes(max);
    } catch (RuntimeException e) {
      throw new IOException("cannot undo " + String.join(", ", codings) + ": " + e.getMessage(),
          e);
    }
  }

  private static InputStream layer(String coding, InputStream in) throws IOException {
    return switch (coding) {
      case "gzip", "x-gzip" -> new GZIPInputStream(in, 8192);
      case "deflate" -> new InflaterInputStream(in);
      case "br" -> new BrotliInputStream(in);
      default -> throw new UnknownCoding("unknown content coding " + coding);
    };
  }

  /** Ends after {@code max} bytes, and where a cut-short input ends. */
  private static final class Capped extends InputStream {
    private final InputStream in;
    private long left;

    Capped(InputStream in, long max) {
      this.in = in;
      this.left = max;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      try {
        int n = in.read(buffer, offset, (int) Math.min(length, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      } catch (EOFException cutShort) {
        left = 0;
        return -1;
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
