package dev.plainsight.capture;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes permessage-deflate (RFC 7692) for one direction: {@link #feed} the compressed payload
 * bytes of a message as they come, then {@link #endMessage}. With context takeover the window
 * carries over from message to message, so every message is inflated whole (only the copy kept
 * is bounded). {@link #close} frees the native inflater.
 */
final class MessageInflater {
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private final Inflater inflater = new Inflater(true);
  private final boolean resetEachMessage;
  private final byte[] out = new byte[8192];

  MessageInflater(boolean resetEachMessage) {
    this.resetEachMessage = resetEachMessage;
  }

  void feed(byte[] in, int offset, int length, BoundedBytes sink) throws DataFormatException {
    inflater.setInput(in, offset, length);
    drain(sink);
  }

  void endMessage(BoundedBytes sink) throws DataFormatException {
    feed(TAIL, 0, TAIL.length, sink);
    if (resetEachMessage || inflater.finished()) {
      inflater.reset();
    }
  }

  void close() {
    inflater.end();
  }

  private void drain(BoundedBytes sink) throws DataFormatException {
    while (!inflater.finished() && !inflater.needsDictionary()) {
      int n = inflater.inflate(out);
      if (n > 0) {
        sink.append(out, 0, n);
      } else if (inflater.needsInput()) {
        return;
      }
    }
  }
}
