package dev.plainsight.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * Writing and checking a CA's files, shared by the Plainsight CA and the demo site's CA: PEM
 * text, files created with their permissions already set, and whether a key fits a certificate.
 */
public final class KeyFiles {
  private KeyFiles() {}

  /**
   * Writes a file that must not exist yet: into a temporary file created with its permissions
   * already set (POSIX), then renamed into place, so a key is never readable by others, not even
   * for a moment, and a crash never leaves a half-written file under the real name.
   */
  public static void writeNew(Path target, String content, String permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    FileAttribute<?>[] attributes =
        Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)
            ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
    try {
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      Files.move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** True when the private key signs what the public key verifies. */
  /**
   * One warning line when a private key file can be read by group or others, or is not owned
   * by the user running Plainsight (who could then read, replace or leak it).
   */
  public static void warnIfExposed(Path key) {
    try {
      var permissions = Files.getPosixFilePermissions(key);
      boolean readableByOthers = permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
          || permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
      String owner = Files.getOwner(key).getName();
      boolean ownedByUs = owner.equals(System.getProperty("user.name"));
      if (readableByOthers || !ownedByUs) {
        org.slf4j.LoggerFactory.getLogger(KeyFiles.class).warn("{} is {}: anyone who reads it can "
            + "intercept every client that trusts this CA; chmod 600 it{}", key,
            readableByOthers ? "readable by group or others (" + PosixFilePermissions.toString(
                permissions) + ")" : "owned by " + owner + ", not by the user running Plainsight",
            ownedByUs ? "" : " and chown it to the user running Plainsight");
      }
    } catch (IOException | UnsupportedOperationException unknown) {
      // no POSIX permissions here (or unreadable attributes): nothing to say
    }
  }

  public static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
    return CaPrimitives.keyMatches(privateKey, publicKey);
  }

  /** "-----BEGIN CERTIFICATE-----". */
  public static String pem(X509Certificate certificate) {
    return Pem.certificate(certificate);
  }

  /** PKCS#8, "-----BEGIN PRIVATE KEY-----". */
  public static String pem(PrivateKey key) {
    return Pem.privateKey(key);
  }
}
