package dev.plainsight.tls;

import java.nio.ByteBuffer;

/**
 * Splits one direction's byte stream into TLS records, whatever the chunk sizes. For each record it
 * calls {@link Listener#onHeader} once the 5-byte header is complete, then {@link Listener#onPayload}
 * with the payload as it arrives (only if onHeader asked for it; otherwise the bytes are skipped
 * without copying), then {@link Listener#onRecordEnd}. A header that cannot be TLS (unknown content
 * type, major version not 3, length over 2^14+2048) calls {@link Listener#onDesync} and the framer
 * ignores the rest of the stream.
 */
final class RecordFramer {

  /** Largest record length accepted: 2^14 plaintext plus the 2048 bytes TLS 1.2 allows for expansion. */
  static final int MAX_RECORD = (1 << 14) + 2048;

  interface Listener {
    /** A record header; return true to receive its payload through onPayload. */
    boolean onHeader(int type, int version, int length, long startMillis);

    void onPayload(int type, byte[] data, int offset, int length);

    void onRecordEnd(int type, int length);

    void onDesync(String reason);
  }

  private final Listener listener;
  private final byte[] header = new byte[5];
  private int headerBytes;
  private long headerStartMillis;
  private int type;
  private int length;
  private int remaining = -1;
  private boolean wantPayload;
  private long records;
  private boolean stopped;

  RecordFramer(Listener listener) {
    this.listener = listener;
  }

  boolean stopped() {
    return stopped;
  }

  void feed(byte[] data, int offset, int count, long nowMillis) {
    feed(ByteBuffer.wrap(data, offset, count), nowMillis);
  }

  /**
   * Reads the buffer's remaining bytes without moving its position. Payload the listener did not
   * ask for is skipped, not copied, so a direct buffer full of application data costs nothing.
   */
  void feed(ByteBuffer data, long nowMillis) {
    int pos = data.position();
    int end = data.limit();
    while (pos < end && !stopped) {
      if (remaining < 0) {
        pos = readHeader(data, pos, end, nowMillis);
      } else {
        int n = Math.min(remaining, end - pos);
        if (wantPayload && n > 0) {
          deliverPayload(data, pos, n);
        }
        pos += n;
        remaining -= n;
      }
      if (remaining == 0) {
        remaining = -1;
        listener.onRecordEnd(type, length);
      }
    }
  }

  private void deliverPayload(ByteBuffer data, int pos, int n) {
    if (data.hasArray()) {
      listener.onPayload(type, data.array(), data.arrayOffset() + pos, n);
    } else {
      byte[] copy = new byte[n];
      data.duplicate().position(pos).get(copy);
      listener.onPayload(type, copy, 0, n);
    }
  }

  private int readHeader(ByteBuffer data, int pos, int end, long nowMillis) {
    if (headerBytes == 0) {
      headerStartMillis = nowMillis;
      int first = data.get(pos) & 0xff;
      if (!knownType(first)) {
        desync(String.format("%s 0x%02x", records == 0 ? "not TLS: first byte"
            : "lost sync after " + records + " records: content type", first));
        return end;
      }
    }
    while (headerBytes < 5 && pos < end) {
      header[headerBytes++] = data.get(pos++);
    }
    if (headerBytes < 5) {
      return pos;
    }
    headerBytes = 0;
    type = header[0] & 0xff;
    int version = ((header[1] & 0xff) << 8) | (header[2] & 0xff);
    length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
    if (header[1] != 3) {
      desync(desyncPrefix() + "record version " + TlsNames.hex(version));
      return end;
    }
    if (length > MAX_RECORD) {
      desync(desyncPrefix() + "record length " + length + " is over 2^14+2048");
      return end;
    }
    records++;
    remaining = length;
    wantPayload = listener.onHeader(type, version, length, headerStartMillis);
    return pos;
  }

  /** Bytes of the record in progress: the header so far, or the payload still expected. */
  String pendingDescription() {
    if (stopped) {
      return null;
    }
    if (headerBytes > 0) {
      return "record header: " + headerBytes + " of 5 bytes";
    }
    if (remaining > 0) {
      return TlsNames.contentType(type) + " record: " + (length - remaining) + " of " + length
          + " bytes";
    }
    return null;
  }

  private String desyncPrefix() {
    return records == 0 ? "not TLS: " : "lost sync after " + records + " records: ";
  }

  private void desync(String reason) {
    stopped = true;
    listener.onDesync(reason);
  }

  private static boolean knownType(int t) {
    return t >= 20 && t <= 24;
  }
}
