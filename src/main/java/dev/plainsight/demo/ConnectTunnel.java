package dev.plainsight.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTPS request through an HTTP proxy, by hand, the way a browser does it: {@code CONNECT
 * host:port}, a TLS handshake inside the tunnel (SNI and host name checked), one HTTP/1.1 request
 * with {@code Connection: close}, the whole response, then the tunnel is closed. Closing at once
 * matters: the proxy records a tunnel when it ends. A refused certificate surfaces as the
 * {@link javax.net.ssl.SSLHandshakeException} the JDK throws.
 */
final class ConnectTunnel {
  static final int TIMEOUT_MS = 10_000;
  private static final int MAX_RESPONSE = 1 << 20;

  /** What came back: the status code, the header block as text, and the (de-chunked) body. */
  record Response(int status, String head, String body) {}

  private ConnectTunnel() {}

  /**
   * Sends {@code method path} with an optional form body to https://host:port through the proxy;
   * {@code proxyAuthorization} (or null) goes on the CONNECT.
   */
  static Response send(InetSocketAddress proxy, String proxyAuthorization, String host, int port,
      SSLContext trust, String method, String path, String formBody) throws IOException {
    String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    try (Socket socket = new Socket()) {
      socket.connect(proxy, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"
          + (proxyAuthorization == null ? "" : "Proxy-Authorization: " + proxyAuthorization + "\r\n")
          + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String connectHead = readHead(socket.getInputStream());
      if (status(connectHead) != 200) {
        throw new IOException("the proxy answered CONNECT " + authority + " with: "
            + connectHead.lines().findFirst().orElse("nothing"));
      }
      try (SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, host, port, true)) {
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!DemoCa.isIpLiteral(host)) {
          parameters.setServerNames(List.of(new SNIHostName(host))); // the JDK skips it for "localhost"
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        byte[] body = formBody == null ? new byte[0] : formBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
            .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
            .append("Host: ").append(authority).append("\r\n")
            .append("User-Agent: plainsight-demo\r\n")
            .append("Connection: close\r\n");
        if (formBody != null) {
          request.append("Content-Type: application/x-www-form-urlencoded\r\n")
              .append("Content-Length: ").append(body.length).append("\r\n");
        }
        request.append("\r\n");
        OutputStream tlsOut = tls.getOutputStream();
        tlsOut.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        tlsOut.write(body);
        tlsOut.flush();
        InputStream in = tls.getInputStream();
        String head = readHead(in);
        byte[] rest = readUpTo(in, MAX_RESPONSE);
        boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
        return new Response(status(head), head,
            new String(chunked ? dechunk(rest) : rest, StandardCharsets.UTF_8));
      }
    }
  }

  private static int status(String head) throws IOException {
    String[] parts = head.split(" ", 3);
    try {
      return Integer.parseInt(parts[1].trim());
    } catch (RuntimeException e) {
      throw new IOException("not an HTTP response: " + head.lines().findFirst().orElse(""));
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed before a whole HTTP head arrived");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > 64 * 1024) {
        throw new IOException("an HTTP head over 64 KiB");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] readUpTo(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; out.size() < limit && (n = in.read(buffer)) >= 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int lineEnd = indexOfCrlf(chunked, i);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(chunked, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].trim();
      int size;
      try {
        size = Integer.parseInt(sizeText, 16);
      } catch (NumberFormatException e) {
        break;
      }
      int start = lineEnd + 2;
      if (size == 0 || start + size > chunked.length) {
        break;
      }
      out.write(chunked, start, size);
      i = start + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
