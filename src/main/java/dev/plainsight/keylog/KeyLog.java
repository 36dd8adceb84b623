package dev.plainsight.keylog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS key log in the NSS format ({@code LABEL <client random hex> <secret hex>}, one line a
 * secret), as Wireshark, curl and the browsers read and write it. The file is created owner-only
 * (0600) and an existing one is tightened to 0600; lines are appended, each with one write on a
 * file opened for appending, so lines of concurrent connections (or of a browser writing to the
 * same file) never interleave. There is no buffer in this process: a running Wireshark sees each
 * line as soon as its handshake made it. Thread-safe; a write failure is logged once and the
 * proxy keeps serving. {@link #off()} writes nothing.
 */
public final class KeyLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyLog.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final KeyLog OFF = new KeyLog(null, null, null);

  private final Path file;
  private final FileChannel channel;
  private final SecretLines lines;
  private final Set<String> sources;
  private boolean failed;

  private KeyLog(Path file, FileChannel channel, SecretLines lines) {
    this(file, channel, lines, new java.util.TreeSet<>());
  }

  private KeyLog(Path file, FileChannel channel, SecretLines lines, Set<String> sources) {
    this.sources = sources;
    this.file = file;
    this.channel = channel;
    this.lines = lines;
  }

  /**
   * This log (or none) that also hands every line to {@code lines}, for the packet captures: fed
   * even when no file is written. Closing the copy does not close the file.
   */
  public KeyLog alsoTo(SecretLines lines) {
    return new KeyLog(file, channel, lines, sources);
  }

  /** Whether any line goes anywhere (a file or the captures' lines). */
  public boolean isFed() {
    return channel != null || lines != null;
  }

  public static KeyLog off() {
    return OFF;
  }

  /** Opens {@code file} for appending, creating it (0600) if absent. */
  public static KeyLog open(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    boolean posix = Files.getFileStore(existingParent(absolute))
        .supportsFileAttributeView(PosixFileAttributeView.class);
    FileAttribute<?>[] ownerOnly = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    FileChannel channel = FileChannel.open(absolute, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND), ownerOnly);
    if (posix) {
      try {
        Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw new IOException("cannot make " + absolute + " owner-only (" + e.getMessage() + ")", e);
      }
    }
    return new KeyLog(absolute, channel, null);
  }

  private static Path existingParent(Path file) throws IOException {
    Path parent = file.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new IOException("the directory of " + file + " does not exist");
    }
    return parent;
  }

  public boolean isOn() {
    return channel != null;
  }

  /** The absolute path written to; null when off. */
  public Path file() {
    return file;
  }

  /** Notes which TLS implementation feeds this log ("BoringSSL", "JDK"), for the banner. */
  public void fedBy(String implementation) {
    synchronized (sources) {
      sources.add(implementation);
    }
  }

  /** The TLS implementations that feed this log, sorted. */
  public Set<String> sources() {
    synchronized (sources) {
      return Set.copyOf(sources);
    }
  }

  /** Appends {@code LABEL <client random> <secret>}. */
  public void write(String label, byte[] clientRandom, byte[] secret) {
    if (isFed()) {
      append(label + " " + HEX.formatHex(clientRandom) + " " + HEX.formatHex(secret) + "\n");
    }
  }

  /**
   * Appends a line made elsewhere (BoringSSL's key log callback) when it looks like one: printable
   * ASCII, a label, a client random and a secret.
   */
  public void writeLine(byte[] line) {
    if (!isFed()) {
      return;
    }
    String text = new String(line, StandardCharsets.US_ASCII).strip();
    if (NssLine.isWellFormed(text)) {
      append(text + "\n");
    }
  }

  private void append(String line) {
    if (lines != null) {
      lines.add(line);
    }
    if (channel != null) {
      appendToFile(line);
    }
  }

  private synchronized void appendToFile(String line) {
    if (failed) {
      return;
    }
    try {
      ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      failed = true;
      LOG.warn("the TLS key log {} cannot be written ({}): no more secrets are logged", file,
          e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.warn("closing the TLS key log {}: {}", file, e.getMessage());
      }
    }
  }
}
