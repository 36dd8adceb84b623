package dev.plainsight.capture;

import dev.plainsight.flow.WebSocketMessage;
import java.util.zip.DataFormatException;

/**
 * Reads one direction of a WebSocket connection (RFC 6455) from the raw stream, in whatever pieces
 * the network delivers it, and hands each whole message to a {@link Sink}: fragments joined,
 * control frames (close, ping, pong) reported between them, client masking undone, and
 * permessage-deflate undone when an inflater is given. Keeps at most {@code limit} bytes of each
 * message, counts all. {@link #read} may unmask the array it is given in place (pass a copy).
 * A stream that is not valid framing ends the reading for good; nothing is ever written back.
 */
final class WebSocketMessageReader {
  /** Told each complete message. */
  @FunctionalInterface
  interface Sink {
    void message(String type, long size, byte[] payload, boolean truncated);
  }

  private static final int MAX_CONTROL_PAYLOAD = 125;

  private final int limit;
  private final MessageInflater inflater;
  private final Sink sink;
  private final byte[] header = new byte[14];
  private final byte[] mask = new byte[4];
  private int headerHave;
  private int headerNeed = 2;
  private boolean inPayload;
  private long remaining;
  private long maskAt;
  private boolean masked;
  private int opcode;
  private boolean fin;
  private BoundedBytes control;
  private BoundedBytes data;
  private String dataType;
  private boolean dataCompressed;
  private boolean broken;

  /** {@code inflater} null: permessage-deflate was not negotiated for this direction. */
  WebSocketMessageReader(int limit, MessageInflater inflater, Sink sink) {
    this.limit = limit;
    this.inflater = inflater;
    this.sink = sink;
  }

  void read(byte[] bytes) {
    int at = 0;
    try {
      while (at < bytes.length && !broken) {
        if (!inPayload) {
          header[headerHave++] = bytes[at++];
          if (headerHave == 2) {
            headerNeed = 2 + extendedLengthBytes(header[1] & 0x7f)
                + ((header[1] & 0x80) != 0 ? 4 : 0);
          }
          if (headerHave == headerNeed) {
            startFrame();
          }
        } else {
          int take = (int) Math.min(remaining, bytes.length - at);
          payload(bytes, at, take);
          at += take;
          remaining -= take;
          if (remaining == 0) {
            endFrame();
          }
        }
      }
    } catch (DataFormatException e) {
      broken = true;
    }
  }

  boolean broken() {
    return broken;
  }

  private static int extendedLengthBytes(int length7) {
    return length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
  }

  private void startFrame() throws DataFormatException {
    fin = (header[0] & 0x80) != 0;
    boolean rsv1 = (header[0] & 0x40) != 0;
    opcode = header[0] & 0x0f;
    masked = (header[1] & 0x80) != 0;
    int length7 = header[1] & 0x7f;
    int at = 2;
    long length = length7;
    if (length7 == 126) {
      length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
      at = 4;
    } else if (length7 == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (header[i] & 0xffL);
      }
      at = 10;
    }
    if (masked) {
      System.arraycopy(header, at, mask, 0, 4);
    }
    headerHave = 0;
    headerNeed = 2;
    maskAt = 0;
    remaining = length;
    if (length < 0 || !acceptFrame(rsv1, length)) {
      broken = true;
      return;
    }
    inPayload = true;
    if (length == 0) {
      endFrame();
    }
  }

  private boolean acceptFrame(boolean rsv1, long length) {
    if (opcode >= 8) {
      control = new BoundedBytes(limit);
      return opcode <= 10 && fin && length <= MAX_CONTROL_PAYLOAD;
    }
    if (opcode == 0) {
      return data != null;
    }
    if ((opcode != 1 && opcode != 2) || data != null) {
      return false;
    }
    data = new BoundedBytes(limit);
    dataType = opcode == 1 ? WebSocketMessage.TEXT : WebSocketMessage.BINARY;
    dataCompressed = rsv1 && inflater != null;
    return true;
  }

  private void payload(byte[] bytes, int at, int length) throws DataFormatException {
    if (masked) {
      for (int i = 0; i < length; i++) {
        bytes[at + i] ^= mask[(int) ((maskAt + i) & 3)];
      }
      maskAt += length;
    }
    if (opcode >= 8) {
      control.append(bytes, at, length);
    } else if (dataCompressed) {
      inflater.feed(bytes, at, length, data);
    } else {
      data.append(bytes, at, length);
    }
  }

  private void endFrame() throws DataFormatException {
    inPayload = false;
    if (opcode >= 8) {
      emit(controlType(opcode), control);
      control = null;
    } else if (fin) {
      if (dataCompressed) {
        inflater.endMessage(data);
      }
      emit(dataType, data);
      data = null;
    }
  }

  private void emit(String type, BoundedBytes message) {
    sink.message(type, message.size(), message.kept(), message.truncated());
  }

  private static String controlType(int opcode) {
    return switch (opcode) {
      case 8 -> WebSocketMessage.CLOSE;
      case 9 -> WebSocketMessage.PING;
      default -> WebSocketMessage.PONG;
    };
  }
}
