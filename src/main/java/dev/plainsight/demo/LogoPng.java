package dev.plainsight.demo;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * The demo site's logo, drawn and PNG-encoded in code (no AWT, no resource file): an eye, 64x64,
 * RGBA. Enough to show that images cross the wire like everything else.
 */
final class LogoPng {
  static final int SIZE = 64;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private LogoPng() {}

  static byte[] render() {
    byte[] scanlines = new byte[SIZE * (1 + SIZE * 4)];
    int i = 0;
    for (int y = 0; y < SIZE; y++) {
      scanlines[i++] = 0; // filter: none
      for (int x = 0; x < SIZE; x++) {
        int rgba = pixel(x + 0.5, y + 0.5);
        scanlines[i++] = (byte) (rgba >>> 24);
        scanlines[i++] = (byte) (rgba >>> 16);
        scanlines[i++] = (byte) (rgba >>> 8);
        scanlines[i++] = (byte) rgba;
      }
    }
    return encode(scanlines);
  }

  /** An almond-shaped eye with a blue iris and a dark pupil, on a transparent background. */
  private static int pixel(double x, double y) {
    double cx = SIZE / 2.0;
    double cy = SIZE / 2.0;
    double dx = (x - cx) / (SIZE * 0.46);
    double dy = (y - cy) / (SIZE * 0.30);
    boolean inEye = dy * dy <= Math.pow(1 - dx * dx, 3) && Math.abs(dx) <= 1;
    double r = Math.hypot(x - cx, y - cy);
    if (!inEye) {
      return 0x00000000;
    }
    if (r < SIZE * 0.08) {
      return 0x1b1f24ff;
    }
    if (r < SIZE * 0.18) {
      return 0x2f6fbfff;
    }
    return 0xf4f1e8ff;
  }

  private static byte[] encode(byte[] scanlines) {
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      png.write(SIGNATURE);
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(header);
      h.writeInt(SIZE);
      h.writeInt(SIZE);
      h.writeByte(8); // bit depth
      h.writeByte(6); // colour type: RGBA
      h.writeByte(0); // deflate
      h.writeByte(0); // adaptive filtering
      h.writeByte(0); // no interlace
      chunk(png, "IHDR", header.toByteArray());
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
        deflate.write(scanlines);
      }
      chunk(png, "IDAT", compressed.toByteArray());
      chunk(png, "IEND", new byte[0]);
      return png.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
    DataOutputStream out = new DataOutputStream(png);
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeInt(data.length);
    out.write(typeBytes);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }
}
