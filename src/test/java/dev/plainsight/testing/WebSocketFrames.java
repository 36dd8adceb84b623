package dev.plainsight.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * Builds raw WebSocket frames (RFC 6455) for tests that speak the protocol byte by byte: any
 * opcode, FIN and RSV1 bits, masked (as a client must) or not, with 7-, 16- or 64-bit lengths; and
 * compresses a payload as permessage-deflate does. Opens a WebSocket through a proxy by hand and
 * reads a frame back.
 */
public final class WebSocketFrames {
  public static final int TEXT = 1;
  public static final int BINARY = 2;
  public static final int CONTINUATION = 0;
  public static final int CLOSE = 8;
  public static final int PING = 9;
  public static final int PONG = 10;
  private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private WebSocketFrames() {}

  public static byte[] frame(int opcode, boolean fin, boolean rsv1, boolean masked,
      byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      out.write(maskBit | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (((long) payload.length >> shift) & 0xff));
      }
    }
    byte[] body = payload.clone();
    if (masked) {
      out.writeBytes(MASK);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= MASK[i % 4];
      }
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** A final, masked frame, as a client sends it. */
  public static byte[] fromClient(int opcode, byte[] payload) {
    return frame(opcode, true, false, true, payload);
  }

  /** A final, unmasked frame, as a server sends it. */
  public static byte[] fromServer(int opcode, byte[] payload) {
    return frame(opcode, true, false, false, payload);
  }

  /** permessage-deflate's compressed form of one message (sync flush, tail removed). */
  public static byte[] deflate(Deflater deflater, byte[] message) {
    deflater.setInput(message);
    byte[] buffer = new byte[message.length + 64];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
    }
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * Opens a WebSocket to the absolute {@code url} through the proxy by hand (offering
   * {@code extensions} unless null) and reads the 101; fails unless it is one that agrees to them.
   */
  public static Socket upgrade(int proxyPort, String url, String extensions) throws IOException {
    URI uri = URI.create(url);
    Socket socket = new Socket("127.0.0.1", proxyPort);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(("GET " + url + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
        + "\r\n").getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    InputStream in = socket.getInputStream();
    for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101") || extensions != null
        && !head.toString().toLowerCase(Locale.ROOT).contains(extensions)) {
      socket.close();
      throw new AssertionError("no WebSocket upgrade" + (extensions == null ? "" : " with "
          + extensions) + ":\n" + head);
    }
    return socket;
  }

  /** One unmasked frame read from a server: its first byte and payload. */
  public record Frame(int first, byte[] payload) {}

  public static Frame read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int first = data.readUnsignedByte();
    long length = data.readUnsignedByte() & 0x7f;
    if (length == 126) {
      length = data.readUnsignedShort();
    } else if (length == 127) {
      length = data.readLong();
    }
    byte[] payload = new byte[(int) length];
    data.readFully(payload);
    return new Frame(first, payload);
  }
}
