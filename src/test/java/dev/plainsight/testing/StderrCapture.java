package dev.plainsight.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies everything written to {@code System.err} (where Plainsight logs) into memory while it is
 * open, still passing it on; {@link #close} puts the original stream back. Test classes run one
 * at a time in one JVM, so one capture at a time sees the whole log.
 */
public final class StderrCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  private StderrCapture() {
    System.setErr(new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8));
  }

  public static StderrCapture start() {
    return new StderrCapture();
  }

  /** What was logged so far. */
  public String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setErr(original);
  }

  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    Tee(OutputStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      try {
        first.write(b, off, len);
      } catch (java.io.IOException ignored) {
        // the console went away: the copy is what the test reads
      }
      synchronized (second) {
        second.write(b, off, len);
      }
    }
  }
}
