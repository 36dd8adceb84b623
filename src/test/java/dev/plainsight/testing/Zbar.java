package dev.plainsight.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads QR codes with Debian's {@code zbarimg} (package zbar-tools, installed by .ci/run): an
 * independent decoder (its stderr, where it complains about a missing D-Bus, is kept apart), so a test of Plainsight's QR code does not trust the library that drew
 * it. A missing tool fails the test with what to install: never skipped.
 */
public final class Zbar {
  private Zbar() {}

  /** The text of the one QR code in the PNG {@code image}. */
  public static String decode(byte[] image) throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/zbarimg");
    if (!Files.isExecutable(binary)) {
      throw new AssertionError("no zbarimg: install it with `apt-get install -y zbar-tools` (CI="
          + System.getenv("CI") + ")");
    }
    Path file = Files.createTempFile("plainsight-qr", ".png");
    Path errors = Files.createTempFile("plainsight-qr", ".txt");
    try {
      Files.write(file, image);
      Process process = new ProcessBuilder(binary.toString(), "--quiet", "--raw",
          "-Sdisable", "-Sqrcode.enable", file.toString())
          .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile())).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("zbarimg found no QR code (exit " + process.exitValue() + "): "
            + out + Files.readString(errors));
      }
      return out.strip();
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(errors);
    }
  }
}
