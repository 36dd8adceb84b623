package dev.plainsight.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Raw sockets through the proxy, for tests that need control the JDK client does not give: when
 * to stop reading, when to close, what bytes to send. {@link #plain} opens a connection to the
 * proxy; {@link #intercepted} sends a CONNECT and returns the TLS socket inside it. Then {@link
 * #send}, {@link #readHead} and reading the body from {@link #in}.
 */
public final class RawProxyClient implements AutoCloseable {
  private final Socket tcp;
  private final Socket socket;

  private RawProxyClient(Socket tcp, Socket socket) {
    this.tcp = tcp;
    this.socket = socket;
  }

  public static RawProxyClient plain(int proxyPort) throws IOException {
    Socket socket = new Socket("127.0.0.1", proxyPort);
    socket.setSoTimeout(30_000);
    return new RawProxyClient(socket, socket);
  }

  /** CONNECTs to {@code 127.0.0.1:port} and completes TLS trusting {@code tls}'s roots. */
  public static RawProxyClient intercepted(int proxyPort, int port, SSLContext tls)
      throws IOException {
    return tls(proxyPort, "127.0.0.1", port, tls);
  }

  /** CONNECTs to {@code host:port} and completes TLS (with that SNI) trusting {@code tls}. */
  public static RawProxyClient tls(int proxyPort, String host, int port, SSLContext tls)
      throws IOException {
    Socket socket = new Socket("127.0.0.1", proxyPort);
    socket.setSoTimeout(30_000);
    String target = host + ":" + port;
    socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    String head = readHead(socket.getInputStream());
    if (!head.startsWith("HTTP/1.1 200")) {
      socket.close();
      throw new IOException("CONNECT refused: " + head);
    }
    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
    ssl.startHandshake();
    return new RawProxyClient(socket, ssl);
  }

  public void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  public InputStream in() throws IOException {
    return socket.getInputStream();
  }

  public Socket socket() {
    return socket;
  }

  /** The response head, read byte by byte up to the empty line (nothing of the body). */
  public String readHead() throws IOException {
    return readHead(socket.getInputStream());
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head.size() + " bytes of head: "
            + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads the body that follows {@code head} (chunked, by Content-Length, or up to the close) and
   * hands each piece to {@code sink}; returns the body's length.
   */
  public long readBody(String head, BodySink sink) throws IOException {
    InputStream in = socket.getInputStream();
    String lower = head.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("\r\ntransfer-encoding: chunked")) {
      long total = 0;
      for (long size; (size = Long.parseLong(readLine(in).split(";")[0].trim(), 16)) > 0; ) {
        total += copy(in, size, total, sink);
        readLine(in);
      }
      while (!readLine(in).isEmpty()) {
        // trailers
      }
      return total;
    }
    int at = lower.indexOf("\r\ncontent-length:");
    if (at >= 0) {
      String value = lower.substring(at + 17, lower.indexOf("\r\n", at + 2)).trim();
      return copy(in, Long.parseLong(value), 0, sink);
    }
    return copy(in, Long.MAX_VALUE, 0, sink);
  }

  /** Receives a body piece by piece; {@code offset} is the position of {@code data[0]}. */
  public interface BodySink {
    void accept(long offset, byte[] data, int length) throws IOException;
  }

  private static long copy(InputStream in, long size, long offset, BodySink sink)
      throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    while (copied < size) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
      if (n < 0) {
        if (size == Long.MAX_VALUE) {
          return copied;
        }
        throw new IOException("closed after " + (offset + copied) + " body bytes");
      }
      sink.accept(offset + copied, buffer, n);
      copied += n;
    }
    return copied;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("closed in the middle of a chunked body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  /** Resets the connection (RST) instead of closing it politely (FIN). */
  public void reset() throws IOException {
    tcp.setSoLinger(true, 0);
    tcp.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
