package dev.plainsight.dashboard;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the dashboard's own files ({@code web/} in the jar) by path: "/" is {@code index.html}.
 * Each file is read once through the class loader and kept; names are limited to plain segments
 * (no "..", no odd characters), and the content type follows the extension. Used instead of
 * Javalin's static-file handler, which mounts the whole jar as a zip file system and so keeps an
 * index of every class in it on the heap.
 */
final class WebAssets {
  private static final String ROOT = "/web";
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "json", "application/json");

  private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

  /** Answers a GET for a dashboard file, or 404 when there is no such file. */
  void serve(Context ctx) {
    serve(ctx, ctx.path().equals("/") ? "/index.html" : ctx.path());
  }

  /** Answers with the dashboard file at {@code path}, whatever the request's path. */
  void serve(Context ctx, String path) {
    String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
    if (type == null || !SAFE_PATH.matcher(path).matches()) {
      throw new NotFoundResponse();
    }
    byte[] bytes = files.computeIfAbsent(path, WebAssets::read)
        .orElseThrow(NotFoundResponse::new);
    ctx.contentType(type).header("Cache-Control", "no-cache").result(bytes);
  }

  private static Optional<byte[]> read(String path) {
    try (InputStream in = WebAssets.class.getResourceAsStream(ROOT + path)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("reading the dashboard file " + path, e);
    }
  }
}
