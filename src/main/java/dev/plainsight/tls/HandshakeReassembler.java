package dev.plainsight.tls;

import java.util.Arrays;

/**
 * Joins the plaintext payloads of one direction's handshake records into whole handshake messages:
 * a message may span records and a record may hold several. Call {@link #append} with each payload
 * fragment, then {@link #next()} until it returns null. A message declaring more than {@link
 * #MAX_MESSAGE} bytes is not buffered: its bytes are skipped as they arrive and {@link
 * #takeOversizedNote()} says so once. Memory stays under one message plus one record.
 */
final class HandshakeReassembler {

  /** Largest handshake message (header included) that is buffered: 64 KB. */
  static final int MAX_MESSAGE = 64 * 1024;

  /** A complete handshake message; {@code body} excludes the 4-byte header. */
  record Message(int type, byte[] body) {}

  private byte[] buf = new byte[512];
  private int start;
  private int end;
  private long skipping;
  private String oversizedNote;

  void append(byte[] data, int offset, int length) {
    if (skipping > 0) {
      int skipped = (int) Math.min(skipping, length);
      skipping -= skipped;
      offset += skipped;
      length -= skipped;
    }
    if (length <= 0) {
      return;
    }
    ensureCapacity(length);
    System.arraycopy(data, offset, buf, end, length);
    end += length;
  }

  /** The next complete message, or null when more bytes are needed. */
  Message next() {
    while (end - start >= 4) {
      int type = buf[start] & 0xff;
      int length = ((buf[start + 1] & 0xff) << 16) | ((buf[start + 2] & 0xff) << 8)
          | (buf[start + 3] & 0xff);
      if (length + 4 > MAX_MESSAGE) {
        oversizedNote = TlsNames.handshakeType(type) + " of " + length
            + " bytes is over the 64 KB reassembly cap: skipped";
        long available = end - start - 4;
        skipping = Math.max(0, length - available);
        start += 4 + (int) Math.min(length, available);
        continue;
      }
      if (end - start < 4 + length) {
        return null;
      }
      byte[] body = Arrays.copyOfRange(buf, start + 4, start + 4 + length);
      start += 4 + length;
      if (start == end) {
        start = 0;
        end = 0;
      }
      return new Message(type, body);
    }
    return null;
  }

  /** True while part of a message is buffered or being skipped: a new record continues it. */
  boolean buffering() {
    return end > start || skipping > 0;
  }

  /** A note about a skipped oversized message, once; else null. */
  String takeOversizedNote() {
    String note = oversizedNote;
    oversizedNote = null;
    return note;
  }

  /** Drops buffered bytes: the direction has switched to encrypted records. */
  void clear() {
    start = 0;
    end = 0;
    skipping = 0;
    buf = new byte[0];
  }

  /** Describes a message still incomplete, e.g. "ClientHello: 300 of 512 bytes", or null. */
  String pendingDescription() {
    int have = end - start;
    if (have == 0) {
      return null;
    }
    if (have < 4) {
      return "handshake message header: " + have + " of 4 bytes";
    }
    int length = ((buf[start + 1] & 0xff) << 16) | ((buf[start + 2] & 0xff) << 8)
        | (buf[start + 3] & 0xff);
    return TlsNames.handshakeType(buf[start] & 0xff) + ": " + (have - 4) + " of " + length
        + " bytes";
  }

  private void ensureCapacity(int extra) {
    if (end + extra <= buf.length) {
      return;
    }
    int live = end - start;
    byte[] target =
        live + extra <= buf.length ? buf : new byte[Math.max(live + extra, buf.length * 2)];
    System.arraycopy(buf, start, target, 0, live);
    buf = target;
    start = 0;
    end = live;
  }
}
