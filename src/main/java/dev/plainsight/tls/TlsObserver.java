package dev.plainsight.tls;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Thread-safe (synchronized) passive observer of one TLS connection. Feed it the raw bytes of both
 * directions as they arrive, in any chunk sizes, with {@link #onBytes}; read what an eavesdropper
 * would see with {@link #snapshot()} at any time. It never throws from its public methods and never
 * writes to the arrays it is given. Once both sides send encrypted records it only reads record
 * headers, so it is cheap enough for I/O threads.
 */
public final class TlsObserver {

  public static final int DEFAULT_LADDER_CAP = 64;
  private static final int MAX_LADDER_CAP = 100_000;

  private final ObservationBuilder state;
  private final DirectionParser client;
  private final DirectionParser server;

  public TlsObserver() {
    this(DEFAULT_LADDER_CAP);
  }

  /** @param ladderCap how many records the ladder keeps (clamped to 0..100000) */
  public TlsObserver(int ladderCap) {
    state = new ObservationBuilder(Math.max(0, Math.min(ladderCap, MAX_LADDER_CAP)));
    client = new DirectionParser(Direction.CLIENT_TO_SERVER, state);
    server = new DirectionParser(Direction.SERVER_TO_CLIENT, state);
  }

  /** Reads {@code length} bytes of {@code data} from {@code offset}, sent in direction {@code dir}. */
  public synchronized void onBytes(
      Direction dir, byte[] data, int offset, int length, long epochMillisNow) {
    if (dir == null || data == null || offset < 0 || length < 0 || offset > data.length - length) {
      state.note("onBytes ignored a bad call: dir=" + dir + ", offset=" + offset + ", length="
          + length + ", array=" + (data == null ? "null" : data.length + " bytes"));
      return;
    }
    if (length == 0) {
      return;
    }
    DirectionParser parser = dir == Direction.CLIENT_TO_SERVER ? client : server;
    try {
      state.bytes(dir, length, epochMillisNow);
      parser.feed(data, offset, length, epochMillisNow);
    } catch (RuntimeException e) {
      parser.stop("internal error " + e);
    }
  }

  /**
   * Reads the remaining bytes of {@code buffer} without moving its position or copying the
   * payload of records it does not parse (application data), so direct buffers cost nothing.
   */
  public synchronized void onBytes(Direction dir, ByteBuffer buffer, long epochMillisNow) {
    if (dir == null || buffer == null) {
      state.note("onBytes ignored a bad call: dir=" + dir + ", buffer=" + buffer);
      return;
    }
    int length = buffer.remaining();
    if (length == 0) {
      return;
    }
    DirectionParser parser = dir == Direction.CLIENT_TO_SERVER ? client : server;
    try {
      state.bytes(dir, length, epochMillisNow);
      parser.feed(buffer, epochMillisNow);
    } catch (RuntimeException e) {
      parser.stop("internal error " + e);
    }
  }

  /** An immutable copy of everything seen so far, with notes for half-received messages. */
  public synchronized TlsObservation snapshot() {
    try {
      List<String> pending = new ArrayList<>(client.pendingNotes());
      pending.addAll(server.pendingNotes());
      return state.snapshot(pending);
    } catch (RuntimeException e) {
      return new TlsObservation(null, null, List.of(), List.of(), List.of(), 0, 0, 0, 0, false,
          List.of("snapshot failed: " + e));
    }
  }

  /** True once this direction sends only encrypted records (for callers deciding what to show). */
  public synchronized boolean encrypted(Direction dir) {
    return dir == Direction.CLIENT_TO_SERVER ? client.encrypted() : server.encrypted();
  }
}
