package dev.plainsight.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.Adler32;

/**
 * How the JSON of a detail column is kept on disk: a Zstandard frame made with a preset
 * dictionary, one for flows (field names and common HTTP headers: a one-kilobyte flow takes
 * about 170 bytes) and one for connections (field names and TLS names). The dictionary, not each
 * record, holds what every record repeats; packing a flow costs a few microseconds on the
 * writer thread. A packed record is one tag byte naming its dictionary, then the frame; a
 * released dictionary must never change (a test pins each checksum): a better one is added
 * beside it under a new tag. {@link #unpack} also reads plain JSON (a row written before
 * packing: it starts with {@code '{'}, which is no tag). Thread-safe.
 */
final class DetailPacking {
  static final DetailPacking FLOWS = new DetailPacking(1, "flow-dictionary-1.json");
  static final DetailPacking CONNECTIONS = new DetailPacking(2, "connection-dictionary-1.json");
  private static final DetailPacking[] BY_TAG = {null, FLOWS, CONNECTIONS};
  private static final int LEVEL = 3;
  /** Far above any record the store writes; a row that says it unpacks to more is damaged. */
  private static final long MAX_UNPACKED = 64 << 20;

  private final byte tag;
  private final byte[] dictionary;
  private final ZstdDictCompress forPacking;
  private final ZstdDictDecompress forUnpacking;
  private final ThreadLocal<ZstdCompressCtx> packers;
  private final ThreadLocal<ZstdDecompressCtx> unpackers;

  private DetailPacking(int tag, String resource) {
    this.tag = (byte) tag;
    this.dictionary = load(resource);
    this.forPacking = new ZstdDictCompress(dictionary, LEVEL);
    this.forUnpacking = new ZstdDictDecompress(dictionary);
    this.packers = ThreadLocal.withInitial(() -> {
      ZstdCompressCtx ctx = new ZstdCompressCtx();
      ctx.setLevel(LEVEL);
      ctx.setChecksum(true); // 4 bytes: a damaged row, or the wrong dictionary, is an error
      ctx.loadDict(forPacking);
      return ctx;
    });
    this.unpackers = ThreadLocal.withInitial(() -> new ZstdDecompressCtx().loadDict(forUnpacking));
  }

  /** The dictionary's Adler-32 (for the test that pins it). */
  int checksum() {
    Adler32 adler = new Adler32();
    adler.update(dictionary);
    return (int) adler.getValue();
  }

  byte[] pack(byte[] json) {
    byte[] frame = packers.get().compress(json);
    byte[] packed = new byte[frame.length + 1];
    packed[0] = tag;
    System.arraycopy(frame, 0, packed, 1, frame.length);
    return packed;
  }

  /** The JSON of a stored detail, packed or plain. */
  static byte[] unpack(byte[] stored) {
    if (stored == null || stored.length == 0 || stored[0] == '{') {
      return stored;
    }
    int tag = stored[0];
    if (tag <= 0 || tag >= BY_TAG.length) {
      throw unreadable("it is packed in an unknown way (" + tag + ")");
    }
    long size = Zstd.getFrameContentSize(stored, 1, stored.length - 1);
    if (size < 0 || size > MAX_UNPACKED) {
      throw unreadable("its size is unknown or over 64 MiB (" + size + ")");
    }
    byte[] json = new byte[(int) size];
    try {
      int n = BY_TAG[tag].unpackers.get()
          .decompressByteArray(json, 0, json.length, stored, 1, stored.length - 1);
      if (n != json.length) {
        throw unreadable("it is cut short");
      }
    } catch (ZstdException e) {
      throw unreadable(e.getMessage());
    }
    return json;
  }

  private static StoreException unreadable(String why) {
    return new StoreException("a stored record is unreadable: " + why);
  }

  private static byte[] load(String name) {
    try (InputStream in = DetailPacking.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the store's dictionary " + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
