package dev.plainsight.capture;

import java.util.Arrays;

/** Keeps at most {@code limit} of the bytes appended to it and counts all of them. */
final class BoundedBytes {
  private final int limit;
  private byte[] bytes = new byte[0];
  private int kept;
  private long size;

  BoundedBytes(int limit) {
    this.limit = Math.max(0, limit);
  }

  void append(byte[] source, int offset, int length) {
    size += length;
    int take = Math.min(limit - kept, length);
    if (take <= 0) {
      return;
    }
    if (kept + take > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(kept + take, bytes.length * 2)));
    }
    System.arraycopy(source, offset, bytes, kept, take);
    kept += take;
  }

  long size() {
    return size;
  }

  byte[] kept() {
    return Arrays.copyOf(bytes, kept);
  }

  boolean truncated() {
    return size > kept;
  }
}
