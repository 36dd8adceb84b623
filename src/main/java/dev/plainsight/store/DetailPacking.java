package dev.plainsight.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How the JSON of a detail column is kept on disk: zlib (RFC 1950) with a preset dictionary,
 * one for flows (field names and common HTTP headers: a one-kilobyte flow takes about 150 bytes)
 * and one for connections (field names and TLS names). The dictionary, not each record, holds
 * what every record repeats. A zlib header names its dictionary by Adler-32, so each record says
 * which one wrote it: a released dictionary must never change (a test pins each checksum); a
 * better one is added beside it and {@link #unpack} knows them all. {@link #unpack} also reads
 * plain JSON (a row written before packing: it starts with {@code '{'}, a zlib stream never
 * does). Thread-safe.
 */
final class DetailPacking {
  static final DetailPacking FLOWS = new DetailPacking("flow-dictionary-1.json");
  static final DetailPacking CONNECTIONS = new DetailPacking("connection-dictionary-1.json");
  private static final Map<Integer, byte[]> KNOWN =
      Map.of(FLOWS.id, FLOWS.dictionary, CONNECTIONS.id, CONNECTIONS.dictionary);
  /** Far above any record the store writes; a row unpacking to more is damaged. */
  private static final int MAX_UNPACKED = 64 << 20;
  private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

  private final byte[] dictionary;
  private final int id;
  private final ThreadLocal<Deflater> deflaters = ThreadLocal.withInitial(Deflater::new);

  private DetailPacking(String resource) {
    this.dictionary = load(resource);
    Adler32 adler = new Adler32();
    adler.update(dictionary);
    this.id = (int) adler.getValue();
  }

  /** The dictionary's Adler-32, as the zlib header of each record it packs names it. */
  int id() {
    return id;
  }

  byte[] pack(byte[] json) {
    Deflater deflater = deflaters.get();
    deflater.reset();
    deflater.setDictionary(dictionary);
    deflater.setInput(json);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, json.length / 4));
    byte[] chunk = new byte[Math.min(8192, json.length + 64)];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    return out.toByteArray();
  }

  /** The JSON of a stored detail, packed or plain. */
  static byte[] unpack(byte[] stored) {
    if (stored == null || stored.length == 0 || stored[0] == '{') {
      return stored;
    }
    Inflater inflater = INFLATERS.get();
    inflater.reset();
    inflater.setInput(stored);
    ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 8);
    byte[] chunk = new byte[8192];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0) {
          if (inflater.needsDictionary()) {
            byte[] dictionary = KNOWN.get(inflater.getAdler());
            if (dictionary == null) {
              throw new DataFormatException("packed with an unknown dictionary "
                  + Integer.toUnsignedString(inflater.getAdler()));
            }
            inflater.setDictionary(dictionary);
            continue;
          }
          if (inflater.needsInput() && !inflater.finished()) {
            throw new DataFormatException("the packed record is cut short");
          }
        }
        out.write(chunk, 0, n);
        if (out.size() > MAX_UNPACKED) {
          throw new DataFormatException("the packed record unpacks to over 64 MiB");
        }
      }
    } catch (DataFormatException e) {
      throw new StoreException("a stored record is unreadable: " + e.getMessage(), e);
    }
    return out.toByteArray();
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
