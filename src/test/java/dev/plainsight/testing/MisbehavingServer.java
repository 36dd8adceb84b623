package dev.plainsight.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** A raw TCP server on 127.0.0.1 that misbehaves in one chosen way with every connection. */
public final class MisbehavingServer implements AutoCloseable {

  /** The ways it can misbehave. */
  public enum Fault {
    /** Reads the request and never answers. */
    NEVER_ANSWERS,
    /** Sends headers and half the body, then resets the connection. */
    RESETS_MID_BODY,
    /** Answers with something that is not HTTP. */
    MALFORMED_RESPONSE,
    /** Closes as soon as it accepts (for TLS: a close during the handshake). */
    CLOSES_AT_ONCE,
    /** Reads the request and closes without a word. */
    CLOSES_WITHOUT_ANSWER,
    /**
     * Answers a connection's first request ("ok", kept alive), then reads the next one and closes
     * without answering: an origin closing its idle connection just as the next request comes.
     */
    CLOSES_ON_SECOND_REQUEST,
    /**
     * Answers the first request ("ok", kept alive), then 50 ms later sends a second response
     * nobody asked for ("injected"), and keeps the connection open.
     */
    INJECTS_A_LATER_RESPONSE,
    /** Answers the first request with "ok" and "injected" as two responses in one TCP segment. */
    INJECTS_IN_THE_SAME_SEGMENT
  }

  /** The body of the response nobody asked for. */
  public static final String INJECTED = "injected";
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  private static final String UNASKED =
      "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n" + INJECTED;

  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Fault fault;
  private final AtomicInteger connections = new AtomicInteger();

  private final boolean tls;

  public MisbehavingServer(Fault fault) {
    this(fault, null);
  }

  /** The same over TLS with the given server context (null: plain TCP). */
  public MisbehavingServer(Fault fault, SSLContext tls) {
    this.fault = fault;
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

  public int port() {
    return server.getLocalPort();
  }

  public String url(String path) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port() + path;
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        pool.execute(() -> misbehave(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void misbehave(Socket socket) {
    try (socket) {
      if (fault == Fault.CLOSES_AT_ONCE) {
        return;
      }
      readHead(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      if (fault == Fault.CLOSES_ON_SECOND_REQUEST) {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readHead(socket.getInputStream());
        return;
      }
      if (fault == Fault.INJECTS_A_LATER_RESPONSE || fault == Fault.INJECTS_IN_THE_SAME_SEGMENT) {
        boolean later = fault == Fault.INJECTS_A_LATER_RESPONSE;
        out.write((later ? OK : OK + UNASKED).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (later) {
          Thread.sleep(50);
          out.write(UNASKED.getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        return;
      }
      switch (fault) {
        case NEVER_ANSWERS -> Thread.sleep(120_000);
        case RESETS_MID_BODY -> {
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(5000))
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          socket.setSoLinger(true, 0);
        }
        case MALFORMED_RESPONSE -> out.write("NOT-HTTP garbage\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        default -> { }
      }
    } catch (IOException | InterruptedException gone) {
      // the connection ended; that is the point
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    for (int b; matched < 4 && (b = in.read()) >= 0; ) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
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
