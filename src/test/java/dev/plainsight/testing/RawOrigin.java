package dev.plainsight.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A raw origin on 127.0.0.1 (plain TCP, or TLS with a given context) that keeps every byte it
 * receives, to show what the proxy forwarded, and answers each request head (its body read by
 * {@code Content-Length} or chunked, with its trailers) with the same raw response bytes,
 * well-formed or not. {@link #received} is everything received so far on all connections.
 */
public final class RawOrigin implements AutoCloseable {
  /** A plain, kept-alive answer: {@code ok}. */
  public static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final byte[] response;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final AtomicInteger connections = new AtomicInteger();
  private final boolean tls;

  private RawOrigin(String response, SSLContext tls) {
    this.response = response.getBytes(StandardCharsets.ISO_8859_1);
    this.tls = tls != null;
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      server = tls == null ? new ServerSocket(0, 50, loopback)
          : tls.getServerSocketFactory().createServerSocket(0, 50, loopback);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    pool.execute(this::acceptLoop);
  }

  /** A plain HTTP origin answering every request with {@code response}. */
  public static RawOrigin answering(String response) {
    return new RawOrigin(response, null);
  }

  /** The same over TLS. */
  public static RawOrigin answeringOverTls(String response, SSLContext tls) {
    return new RawOrigin(response, tls);
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url(String path) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port() + path;
  }

  public int connections() {
    return connections.get();
  }

  /** Every byte received so far, as ISO-8859-1 text. */
  public String received() {
    synchronized (received) {
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        pool.execute(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        String head = readUntil(in, "\r\n\r\n");
        if (head == null) {
          return;
        }
        String lower = head.toLowerCase(Locale.ROOT);
        int length = lower.indexOf("\r\ncontent-length:");
        if (lower.contains("\r\ntransfer-encoding:")) {
          if (!readChunked(in)) {
            return;
          }
        } else if (length >= 0) {
          int end = lower.indexOf("\r\n", length + 2);
          long n = Long.parseLong(lower.substring(length + 17, end).trim());
          for (long i = 0; i < n; i++) {
            if (read(in) < 0) {
              return;
            }
          }
        }
        out.write(response);
        out.flush();
      }
    } catch (IOException | RuntimeException gone) {
      // the connection ended, or sent what this origin cannot frame: stop reading it
    }
  }

  /** Reads a chunked body and its trailers; false when the peer closed first. */
  private boolean readChunked(InputStream in) throws IOException {
    for (String line; (line = readUntil(in, "\r\n")) != null; ) {
      long size = Long.parseLong(line.split(";")[0].trim(), 16);
      if (size == 0) {
        for (String trailer; (trailer = readUntil(in, "\r\n")) != null; ) {
          if (trailer.equals("\r\n")) {
            return true;
          }
        }
        return false;
      }
      for (long i = 0; i < size + 2; i++) {
        if (read(in) < 0) {
          return false;
        }
      }
    }
    return false;
  }

  /** Reads (and keeps) bytes up to and including {@code end}; null when the peer closed first. */
  private String readUntil(InputStream in, String end) throws IOException {
    StringBuilder text = new StringBuilder();
    while (!endsWith(text, end)) {
      int b = read(in);
      if (b < 0) {
        return null;
      }
      text.append((char) b);
    }
    return text.toString();
  }

  private static boolean endsWith(StringBuilder text, String end) {
    int from = text.length() - end.length();
    return from >= 0 && text.indexOf(end, from) == from;
  }

  private int read(InputStream in) throws IOException {
    int b = in.read();
    if (b >= 0) {
      synchronized (received) {
        received.write(b);
      }
    }
    return b;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    pool.shutdownNow();
  }
}
