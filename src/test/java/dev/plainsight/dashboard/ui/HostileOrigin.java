package dev.plainsight.dashboard.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An origin whose every answer attacks the dashboard: {@link #BODY} as text/html, {@link #HEADER}
 * in a response header and a hostile Set-Cookie. Raw sockets, because the JDK's own server
 * refuses the hostile request lines the tests send through the proxy.
 */
final class HostileOrigin implements AutoCloseable {
  /** Each payload would set {@code window.pwned}, or add an element, if it ever became markup. */
  static final String PATH = "/p/<img/src/onerror=window.pwned=1>"
      + "?q=<script>window.pwned=2</script>&password=\"><svg/onload=window.pwned=3>";
  static final String HEADER = "<img src=x onerror=\"window.pwned=4\" id=injected4>";
  static final String BODY = "<h1 id=injected>hi</h1><script>window.pwned=5</script>"
      + "<img src=x onerror=\"window.pwned=6\"><iframe src=\"javascript:parent.pwned=7\"></iframe>"
      + "<a id=injected-link href=\"http://evil.example/\">click me</a>";

  private final ServerSocket server;

  private HostileOrigin(ServerSocket server) {
    this.server = server;
  }

  static HostileOrigin start() throws IOException {
    HostileOrigin origin = new HostileOrigin(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread acceptor = new Thread(origin::serve, "hostile-origin");
    acceptor.setDaemon(true);
    acceptor.start();
    return origin;
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port() + PATH;
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        readHead(socket.getInputStream());
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + "X-Hostile: " + HEADER + "\r\n"
            + "Set-Cookie: <b id=injected5>session</b>=<script>window.pwned=8</script>\r\n"
            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
      } catch (IOException closedOrReset) {
        // next connection, or the server was closed
      }
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
      // already closed
    }
  }
}
