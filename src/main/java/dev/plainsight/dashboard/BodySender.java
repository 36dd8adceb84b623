package dev.plainsight.dashboard;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.Header;
import dev.plainsight.store.ContentDecoder;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Answers a body route: the captured bytes as they were, or with {@code ?decoded=true} their
 * content codings undone for display. A decoded body is streamed to the client as it is decoded
 * and ends after {@value #MAX_DECODED} bytes ({@code X-Decoded-Limit}), so a decompression bomb
 * costs a decoder's window, not its output. A gzip or deflate window is 32 KiB, a brotli one up to
 * 16 MiB: at most {@value #BROTLI_DECODERS} brotli decodes run at once, the others wait up to
 * {@value #WAIT_SECONDS} s for their turn, then get a 503. A coding Plainsight cannot undo,
 * or bytes that are not valid for it before any came out, is a 422 with the reason.
 */
final class BodySender {
  static final int MAX_DECODED = 16 * 1024 * 1024;
  static final int BROTLI_DECODERS = 2;
  static final int WAIT_SECONDS = 30;

  private final Semaphore brotli = new Semaphore(BROTLI_DECODERS, true);

  void send(Context ctx, Body body, List<Header> headers) throws IOException,
      InterruptedException {
    ctx.header("X-Body-Size", String.valueOf(body.size()));
    ctx.header("X-Body-Truncated", String.valueOf(body.truncated()));
    ctx.header("Content-Security-Policy", "sandbox; default-src 'none'");
    ctx.contentType("application/octet-stream");
    List<String> codings;
    try {
      codings = "true".equals(ctx.queryParam("decoded"))
          ? ContentDecoder.codings(headers) : List.of();
    } catch (ContentDecoder.UnknownCoding e) {
      throw unprocessable(e.getMessage());
    }
    if (codings.isEmpty()) {
      ctx.result(body.captured());
      return;
    }
    if (!codings.contains("br")) {
      stream(ctx, body.captured(), codings);
      return;
    }
    if (!brotli.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new HttpResponseException(HttpStatus.SERVICE_UNAVAILABLE.getCode(),
          "too many brotli bodies are being decoded at once: try again in a moment");
    }
    try {
      stream(ctx, body.captured(), codings);
    } finally {
      brotli.release();
    }
  }

  private static void stream(Context ctx, byte[] raw, List<String> codings) throws IOException {
    ctx.header("X-Decoded-Limit", String.valueOf(MAX_DECODED));
    InputStream opened;
    byte[] buffer = new byte[16 * 1024];
    int first;
    try {
      opened = ContentDecoder.open(raw, codings, MAX_DECODED);
      first = opened.readNBytes(buffer, 0, buffer.length);
    } catch (IOException | RuntimeException e) {
      throw unprocessable("cannot undo " + String.join(", ", codings) + ": " + e.getMessage());
    }
    try (InputStream in = opened) {
      OutputStream out = ctx.outputStream();
      out.write(buffer, 0, first);
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
        }
      } catch (IOException | RuntimeException invalidFurtherOn) {
        // the client has what decoded cleanly: a body broken further on ends there
      }
      out.flush();
    }
  }

  private static HttpResponseException unprocessable(String reason) {
    return new HttpResponseException(HttpStatus.UNPROCESSABLE_CONTENT.getCode(), reason);
  }
}
