package dev.plainsight.join;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A QR code as a PNG, black on white with the standard quiet zone of four modules, each module
 * {@code scale} pixels square (sharp on a projector, readable by a phone across a room). Encoded
 * by ZXing's core writer at error correction level M; the image is written with
 * {@code javax.imageio}.
 */
public final class QrPng {
  private static final int QUIET_ZONE = 4;

  private QrPng() {}

  public static byte[] of(String text, int scale) {
    BitMatrix modules;
    try {
      modules = new QRCodeWriter().encode(text, com.google.zxing.BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
              EncodeHintType.MARGIN, 0, EncodeHintType.CHARACTER_SET, "UTF-8"));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode as a QR code: " + e.getMessage(), e);
    }
    int side = (modules.getWidth() + 2 * QUIET_ZONE) * scale;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int mx = x / scale - QUIET_ZONE;
        int my = y / scale - QUIET_ZONE;
        boolean dark = mx >= 0 && my >= 0 && mx < modules.getWidth() && my < modules.getHeight()
            && modules.get(mx, my);
        image.setRGB(x, y, dark ? 0xFF000000 : 0xFFFFFFFF);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }
}
