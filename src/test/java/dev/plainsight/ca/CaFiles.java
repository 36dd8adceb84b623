package dev.plainsight.ca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.TreeMap;

/** Test helpers for CA directories: write ca.pem/ca-key.pem, and snapshot a directory's bytes. */
final class CaFiles {
  private CaFiles() {}

  static void write(Path dir, String certificatePem, String keyPem) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(RootCa.CERT_FILE), certificatePem);
    Files.writeString(dir.resolve(RootCa.KEY_FILE), keyPem);
  }

  static String pem(X509Certificate certificate) {
    return Pem.certificate(certificate);
  }

  /** File name to content, for "left untouched" checks. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (var list = Files.list(dir)) {
      for (Path file : (Iterable<Path>) list::iterator) {
        files.put(file.getFileName().toString(), Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return files;
  }
}
