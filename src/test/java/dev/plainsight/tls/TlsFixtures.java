package dev.plainsight.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Loads the recorded byte fixtures in src/test/resources/tls (see the README there), replays them
 * into a {@link TlsObserver} whole or in pieces, and builds TLS records by hand.
 */
final class TlsFixtures {

  /** One recv() of a recorded conversation: who sent it, when (ms from the first), the bytes. */
  record Chunk(Direction direction, long millis, byte[] data) {}

  static final long START = 1_700_000_000_000L;

  private TlsFixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = TlsFixtures.class.getResourceAsStream("/tls/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture /tls/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A .conv file: chunks of [direction 'C'|'S'][u32 millis][u32 length][bytes]. */
  static List<Chunk> conversation(String name) {
    ByteBuffer in = ByteBuffer.wrap(bytes(name));
    List<Chunk> chunks = new ArrayList<>();
    while (in.hasRemaining()) {
      Direction dir = in.get() == 'C' ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
      long millis = in.getInt();
      byte[] data = new byte[in.getInt()];
      in.get(data);
      chunks.add(new Chunk(dir, millis, data));
    }
    return chunks;
  }

  /** A single-direction fixture as one chunk. */
  static List<Chunk> oneWay(Direction dir, byte[] data) {
    return List.of(new Chunk(dir, 0, data));
  }

  static TlsObservation observeWhole(List<Chunk> chunks) {
    TlsObserver observer = new TlsObserver();
    for (Chunk c : chunks) {
      observer.onBytes(c.direction(), c.data(), 0, c.data().length, START + c.millis());
    }
    return observer.snapshot();
  }

  static TlsObservation observeByteAtATime(List<Chunk> chunks) {
    TlsObserver observer = new TlsObserver();
    for (Chunk c : chunks) {
      for (int i = 0; i < c.data().length; i++) {
        observer.onBytes(c.direction(), c.data(), i, 1, START + c.millis());
      }
    }
    return observer.snapshot();
  }

  /** Feeds each chunk cut at the given sizes (cycled), from inside a larger padded array. */
  static TlsObservation observeChunked(List<Chunk> chunks, List<Integer> sizes) {
    TlsObserver observer = new TlsObserver();
    int next = 0;
    for (Chunk c : chunks) {
      byte[] padded = new byte[c.data().length + 8];
      System.arraycopy(c.data(), 0, padded, 3, c.data().length);
      int pos = 0;
      while (pos < c.data().length) {
        int size =
            sizes.isEmpty() ? c.data().length : Math.max(1, sizes.get(next++ % sizes.size()));
        int n = Math.min(size, c.data().length - pos);
        observer.onBytes(c.direction(), padded, 3 + pos, n, START + c.millis());
        pos += n;
      }
    }
    return observer.snapshot();
  }

  static TlsObservation observe(Direction dir, byte[] data) {
    return observeWhole(oneWay(dir, data));
  }

  /** A record: type, version, u16 length, payload. */
  static byte[] record(int type, int version, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    out.write(version >> 8);
    out.write(version);
    out.write(payload.length >> 8);
    out.write(payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** The payloads of the records in a byte stream, concatenated (the handshake byte stream). */
  static byte[] payloads(byte[] stream) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos + 5 <= stream.length) {
      int length = ((stream[pos + 3] & 0xff) << 8) | (stream[pos + 4] & 0xff);
      out.write(stream, pos + 5, length);
      pos += 5 + length;
    }
    return out.toByteArray();
  }

  /** Re-frames handshake bytes into handshake records of at most {@code size} bytes each. */
  static byte[] handshakeRecords(byte[] handshake, int version, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int pos = 0; pos < handshake.length; pos += size) {
      byte[] part = Arrays.copyOfRange(handshake, pos, Math.min(handshake.length, pos + size));
      out.writeBytes(record(22, version, part));
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }
}
