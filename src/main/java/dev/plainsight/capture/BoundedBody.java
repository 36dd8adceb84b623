package dev.plainsight.capture;

import dev.plainsight.flow.Body;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Copies at most {@code limit} bytes of a body as it streams past, and counts all of it. The
 * buffers it is shown are never consumed or changed (their reader index stays where it was).
 */
final class BoundedBody {
  private final int limit;
  private byte[] bytes = new byte[0];
  private int captured;
  private long size;

  BoundedBody(int limit) {
    this.limit = limit;
  }

  void append(ByteBuf chunk) {
    int readable = chunk.readableBytes();
    size += readable;
    int room = limit - captured;
    if (room <= 0 || readable == 0) {
      return;
    }
    int take = Math.min(room, readable);
    ensureCapacity(captured + take);
    chunk.getBytes(chunk.readerIndex(), bytes, captured, take);
    captured += take;
  }

  /** Sizes the copy up front when the message declares its length (no regrowing on the way). */
  void expect(long declaredLength) {
    if (captured == 0 && declaredLength > bytes.length) {
      bytes = new byte[(int) Math.min(limit, declaredLength)];
    }
  }

  long size() {
    return size;
  }

  Body toBody() {
    byte[] exact = bytes.length == captured ? bytes : Arrays.copyOf(bytes, captured);
    return new Body(exact, size, size > captured);
  }

  private void ensureCapacity(int needed) {
    if (needed > bytes.length) {
      int grown = Math.max(needed, Math.min(limit, Math.max(1024, bytes.length * 2)));
      bytes = Arrays.copyOf(bytes, grown);
    }
  }
}
