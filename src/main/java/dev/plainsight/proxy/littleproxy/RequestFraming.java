package dev.plainsight.proxy.littleproxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where each request on one client connection ends, read from its raw bytes by the rules of RFC
 * 9112, strictly enough that no other HTTP/1.1 parser can read the same bytes differently (request
 * smuggling). Refused: obs-fold in any header or trailer; a line not ended by CRLF; whitespace
 * before a header's colon; control characters in a header value; {@code Transfer-Encoding} (all
 * its fields joined) that is not a list of known codings ending in one {@code chunked}, that comes
 * with {@code Content-Length} or in HTTP/1.0; a {@code Content-Length} that is not one decimal
 * number; a chunk size that is not {@code 1*HEXDIG}, or above 2^31 - 1 (Netty's limit), or whose
 * extensions break their grammar (Netty refuses those too, inside a body); chunk data
 * not followed by CRLF; over-long chunk lines and trailers (below Netty's limits, whose failures
 * in a body Netty would report as an empty body); the obsolete hixie-76 key pair.
 *
 * <p>Order of calls: {@link #feed} with each piece of the stream; it returns how far the bytes
 * are good. Then either {@link #failure()} is non-null (the connection must be refused, and
 * nothing after the previous good piece forwarded), or {@link #paused()}: a {@code CONNECT} or a
 * request with {@code Upgrade} has ended there, what follows may be another protocol, and {@link
 * #resume()} is called once its answer shows it is HTTP again. Head sizes are left to Netty (which
 * refuses over-long heads before any filter runs); this class keeps one line of at most {@link
 * #MAX_LINE} bytes. Not thread-safe: one connection, its event loop.
 */
final class RequestFraming {
  static final int MAX_LINE = 64 * 1024;
  static final int MAX_CHUNK_LINE = 4096;
  static final int MAX_TRAILERS = 8192;
  private static final long MAX_CHUNK = Integer.MAX_VALUE;
  private static final int MAX_TRANSFER_ENCODING = 1024;

  private enum State { START_LINE, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_CR, CHUNK_LF,
    TRAILERS, PAUSED, REFUSED }

  private State state = State.START_LINE;
  private byte[] line = new byte[256];
  private int lineLength;
  private long remaining;
  private int trailerBytes;
  private String failure;
  private int requests;
  private long bodyBytes;

  private String method;
  private String target;
  private boolean http10;
  private final StringBuilder transferEncoding = new StringBuilder();
  private int transferEncodingFields;
  private int contentLengthFields;
  private String contentLength;
  private boolean upgrade;
  private boolean key1;
  private boolean key2;

  /**
   * Reads {@code bytes} from {@code from} (inclusive) to {@code to} (exclusive); returns the index
   * after the last good byte: {@code to} when all are, less when refused or paused.
   */
  int feed(ByteBuf bytes, int from, int to) {
    int at = from;
    while (at < to && state != State.PAUSED && state != State.REFUSED) {
      switch (state) {
        case BODY, CHUNK_DATA -> {
          long take = Math.min(remaining, to - at);
          at += (int) take;
          remaining -= take;
          bodyBytes += take;
          if (remaining == 0) {
            if (state == State.BODY) {
              requestComplete();
            } else {
              state = State.CHUNK_CR;
            }
          }
        }
        case CHUNK_CR, CHUNK_LF -> {
          byte b = bytes.getByte(at++);
          if (b != (state == State.CHUNK_CR ? '\r' : '\n')) {
            refuse("chunk data not followed by CRLF");
          } else {
            state = state == State.CHUNK_CR ? State.CHUNK_LF : State.CHUNK_SIZE;
          }
        }
        default -> {
          byte b = bytes.getByte(at++);
          if (b == '\n') {
            endOfLine();
          } else {
            append(b);
          }
        }
      }
    }
    return state == State.REFUSED ? from : at;
  }

  /** Reads a whole array: {@link #feed} over its bytes. */
  int feed(byte[] bytes) {
    return feed(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length);
  }

  /** Why the connection must be refused; null while everything read is well framed. */
  String failure() {
    return failure;
  }

  /** A CONNECT or an upgrade request has ended: what follows is not read until {@link #resume}. */
  boolean paused() {
    return state == State.PAUSED;
  }

  /** The paused request's answer showed that HTTP goes on: read the next request. */
  void resume() {
    if (state == State.PAUSED) {
      state = State.START_LINE;
    }
  }

  /** The method of the request being read, or of the last one; null before a request line. */
  String method() {
    return method;
  }

  /** The request target as sent, like {@link #method}. */
  String target() {
    return target;
  }

  /** Requests read whole so far. */
  int requests() {
    return requests;
  }

  /** Body bytes (chunk data or the bytes a length announced) read so far, of all requests. */
  long bodyBytes() {
    return bodyBytes;
  }

  private void append(byte b) {
    int cap = state == State.CHUNK_SIZE ? MAX_CHUNK_LINE : MAX_LINE;
    if (lineLength >= cap) {
      refuse(switch (state) {
        case START_LINE -> "request line longer than " + cap + " bytes";
        case CHUNK_SIZE -> "chunk size line longer than " + cap + " bytes";
        default -> "header line longer than " + cap + " bytes";
      });
      return;
    }
    if (state == State.TRAILERS && ++trailerBytes > MAX_TRAILERS) {
      refuse("trailers longer than " + MAX_TRAILERS + " bytes");
      return;
    }
    if (lineLength == line.length) {
      line = java.util.Arrays.copyOf(line, Math.min(cap, line.length * 2));
    }
    line[lineLength++] = b;
  }

  private void endOfLine() {
    if (lineLength == 0 || line[lineLength - 1] != '\r') {
      refuse((state == State.CHUNK_SIZE ? "chunk size line" : state == State.START_LINE
          ? "request line" : "header line") + " not ended by CRLF");
      return;
    }
    int length = lineLength - 1;
    lineLength = 0;
    switch (state) {
      case START_LINE -> {
        if (length > 0) {
          requestLine(length);
        }
      }
      case HEADERS -> {
        if (length == 0) {
          endOfHead();
        } else if (field(length)) {
          headerField(length);
        }
      }
      case CHUNK_SIZE -> chunkSize(length);
      case TRAILERS -> {
        if (length == 0) {
          requestComplete();
        } else {
          field(length);
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void requestLine(int length) {
    newRequest();
    int methodEnd = 0;
    while (methodEnd < length && HttpSyntax.isTchar(line[methodEnd])) {
      methodEnd++;
    }
    int targetEnd = methodEnd + 1;
    while (targetEnd < length && HttpSyntax.isTargetByte(line[targetEnd])) {
      targetEnd++;
    }
    if (methodEnd == 0 || methodEnd >= length || line[methodEnd] != ' '
        || targetEnd == methodEnd + 1 || targetEnd >= length || line[targetEnd] != ' ') {
      refuse("bad request line (method SP target SP version expected)");
      return;
    }
    method = text(0, methodEnd);
    target = text(methodEnd + 1, targetEnd);
    String version = text(targetEnd + 1, length);
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      refuse("unsupported HTTP version (HTTP/1.0 or HTTP/1.1 expected)");
      return;
    }
    http10 = version.equals("HTTP/1.0");
    state = State.HEADERS;
  }

  /** Checks a header or trailer line; false (and refused) when it breaks the field syntax. */
  private boolean field(int length) {
    if (line[0] == ' ' || line[0] == '\t') {
      refuse("obs-fold: a header line starts with whitespace (RFC 9112 §5.2)");
      return false;
    }
    int colon = 0;
    while (colon < length && HttpSyntax.isTchar(line[colon])) {
      colon++;
    }
    if (colon == 0 || colon == length || line[colon] != ':') {
      refuse(colon < length && (line[colon] == ' ' || line[colon] == '\t')
          ? "whitespace before a header's colon (RFC 9112 §5.1)" : "invalid header name");
      return false;
    }
    for (int i = colon + 1; i < length; i++) {
      int b = line[i] & 0xff;
      if ((b < 0x20 && b != '\t') || b == 0x7f) {
        refuse("control character in a header value");
        return false;
      }
    }
    return true;
  }

  private void headerField(int length) {
    int colon = 0;
    while (line[colon] != ':') {
      colon++;
    }
    String name = text(0, colon).toLowerCase(Locale.ROOT);
    switch (name) {
      case "transfer-encoding" -> {
        transferEncodingFields++;
        if (!transferEncoding.isEmpty()) {
          transferEncoding.append(',');
        }
        transferEncoding.append(text(colon + 1, length));
        if (transferEncoding.length() > MAX_TRANSFER_ENCODING) {
          refuse("Transfer-Encoding longer than " + MAX_TRANSFER_ENCODING + " bytes");
        }
      }
      case "content-length" -> {
        contentLengthFields++;
        contentLength = text(colon + 1, length).strip();
      }
      case "upgrade" -> upgrade = true;
      case "sec-websocket-key1" -> key1 = true;
      case "sec-websocket-key2" -> key2 = true;
      default -> { }
    }
  }

  private void endOfHead() {
    if (key1 && key2) {
      refuse("Sec-WebSocket-Key1 and Sec-WebSocket-Key2 (the obsolete hixie-76 handshake: "
          + "Netty would read 8 bytes after the head as its body)");
    } else if (transferEncodingFields > 0) {
      if (contentLengthFields > 0) {
        refuse("both Transfer-Encoding and Content-Length (request smuggling)");
      } else if (http10) {
        refuse("Transfer-Encoding in an HTTP/1.0 request");
      } else if (!HttpSyntax.endsInOneChunked(transferEncoding.toString())) {
        refuse("Transfer-Encoding must be known codings ending in a single chunked ("
            + transferEncodingFields + (transferEncodingFields == 1 ? " field)" : " fields)"));
      } else {
        state = State.CHUNK_SIZE;
      }
    } else if (contentLengthFields > 1) {
      refuse("more than one Content-Length");
    } else if (contentLengthFields == 1) {
      if (contentLength.isEmpty() || contentLength.length() > 18
          || !contentLength.chars().allMatch(c -> c >= '0' && c <= '9')) {
        refuse("Content-Length is not a decimal number below 10^18");
      } else {
        remaining = Long.parseLong(contentLength);
        if (remaining == 0) {
          requestComplete();
        } else {
          state = State.BODY;
        }
      }
    } else {
      requestComplete();
    }
  }

  private void chunkSize(int length) {
    long size = 0;
    int i = 0;
    for (; i < length && HttpSyntax.hex(line[i]) >= 0; i++) {
      size = size * 16 + HttpSyntax.hex(line[i]);
      if (size > MAX_CHUNK) {
        refuse("chunk size too large (above 2^31 - 1)");
        return;
      }
    }
    if (i == 0) {
      refuse("bad chunk size (1*HEXDIG expected)");
      return;
    }
    if (i < length) {
      int semicolon = HttpSyntax.skipBws(line, i, length);
      if (semicolon == length || line[semicolon] != ';') {
        refuse("bad chunk size (1*HEXDIG expected)");
        return;
      }
      if (!HttpSyntax.validExtensions(line, i, length)) {
        refuse("bad chunk extension (RFC 9112 §7.1.1)");
        return;
      }
    }
    if (size == 0) {
      trailerBytes = 0;
      state = State.TRAILERS;
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
  }

  private void newRequest() {
    method = null;
    target = null;
    transferEncoding.setLength(0);
    transferEncodingFields = 0;
    contentLengthFields = 0;
    contentLength = null;
    upgrade = false;
    key1 = false;
    key2 = false;
  }

  private void requestComplete() {
    requests++;
    state = "CONNECT".equals(method) || upgrade ? State.PAUSED : State.START_LINE;
    if (line.length > 4096) {
      line = new byte[256];
    }
  }

  private void refuse(String reason) {
    if (failure == null) {
      failure = reason;
    }
    state = State.REFUSED;
  }

  private String text(int from, int to) {
    return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
  }

}
