package dev.plainsight.tls;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Cuts a byte string into a tree of {@link HelloField}s, left to right: every {@link #leaf} starts
 * where the previous one ended, so the leaves tile what was read. {@link #open}/{@link #close}
 * bracket groups; {@link #vector} opens a group of a declared length and {@link #end} closes it,
 * tiling what the group left unread as one leaf. A read past the end of a group or of the input
 * throws {@link Unreadable}; {@link #finish} then closes every open group and tiles the rest of the
 * input as one leaf named for what went wrong. Not thread-safe; one use.
 */
final class FieldTiler {

  /** What made the rest of the bytes unreadable. */
  static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  private record Open(int offset, String name, String value, int limit, List<HelloField> kids) {}

  private final byte[] data;
  private final Deque<Open> open = new ArrayDeque<>();
  private final List<HelloField> top = new ArrayList<>();
  private int pos;
  private String cut;

  FieldTiler(byte[] data) {
    this.data = data;
  }

  int position() {
    return pos;
  }

  int limit() {
    return open.isEmpty() ? data.length : open.peek().limit();
  }

  int remaining() {
    return limit() - pos;
  }

  /** The next two bytes as a u16 without taking them, or -1 when fewer remain. */
  int peek16() {
    return remaining() >= 2 ? u16(pos) : -1;
  }

  int u8(int at) {
    return data[at] & 0xff;
  }

  int u16(int at) {
    return (u8(at) << 8) | u8(at + 1);
  }

  /** Takes {@code n} bytes as a leaf whose value is computed from its offset; returns the offset. */
  int leaf(int n, String name, Function<Integer, String> value, String about) {
    need(n, name);
    int at = pos;
    if (n > 0) {
      add(new HelloField(at, n, name, value.apply(at), about, List.of()));
      pos += n;
    }
    return at;
  }

  /**
   * Opens a group holding a u8, u16 or u24 length field (with {@code about}) and the bytes it
   * declares; close it with {@link #end} or, once all is read, {@link #close}. When the input ends
   * before the declared bytes do (a capture cut short) the group runs to the end of the input, so
   * what was captured is still read, and {@link #cut} says so; a length that overruns its
   * enclosing group instead throws.
   */
  int vector(int lengthBytes, String name, String about) {
    open(name, null);
    int at = leaf(lengthBytes, name + " length", o -> null, about);
    int length = lengthBytes == 1 ? u8(at) : lengthBytes == 2 ? u16(at)
        : (u8(at) << 16) | u16(at + 1);
    relabelLast(length + " bytes");
    int end = pos + length;
    if (length > remaining() && limit() == data.length) {
      if (cut == null) {
        cut = "truncated " + name + ": declares " + length + " bytes, " + remaining() + " captured";
      }
      end = data.length;
    } else {
      need(length, name);
    }
    Open group = open.pop();
    open.push(new Open(group.offset(), group.name(), null, end, group.kids()));
    return Math.min(length, end - pos);
  }

  /** The first vector the input ended inside, as a problem line; null when none did. */
  String cut() {
    return cut;
  }

  void open(String name, String value) {
    open.push(new Open(pos, name, value, limit(), new ArrayList<>()));
  }

  /** Closes the innermost group, first tiling what it left unread as one leaf. */
  void end(String unreadName) {
    if (pos < limit()) {
      leaf(limit() - pos, unreadName, o -> (limit() - o) + " bytes", null);
    }
    close();
  }

  void close() {
    Open group = open.pop();
    if (!group.kids().isEmpty()) {
      add(new HelloField(group.offset(), pos - group.offset(), group.name(), group.value(), null,
          group.kids()));
    }
  }

  /** Closes every group and tiles the rest of the input; {@code problem} null when all went well. */
  List<HelloField> finish(String problem) {
    while (!open.isEmpty()) {
      close();
    }
    if (pos < data.length) {
      String name = problem != null ? problem : "bytes after the record";
      leaf(data.length - pos, name, o -> (data.length - o) + " bytes",
          problem != null ? "what follows could not be read as a hello" : null);
    }
    return List.copyOf(top);
  }

  String hex(int at, int n) {
    StringBuilder out = new StringBuilder(n * 2);
    for (int i = at; i < at + n; i++) {
      out.append(Character.forDigit((data[i] >> 4) & 0xf, 16))
          .append(Character.forDigit(data[i] & 0xf, 16));
    }
    return out.toString();
  }

  /** Printable ASCII as is, anything else as \xNN, at most 255 characters shown. */
  String text(int at, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = at; i < at + n && out.length() < 255; i++) {
      int c = data[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.append((char) c);
      } else {
        out.append(String.format("\\x%02x", c));
      }
    }
    return out.toString();
  }

  private void need(int n, String name) {
    if (n > remaining()) {
      throw new Unreadable("truncated " + name + ": needs " + n + " bytes, "
          + Math.max(0, remaining()) + " left");
    }
  }

  private void relabelLast(String value) {
    List<HelloField> kids = open.peek().kids();
    HelloField last = kids.get(kids.size() - 1);
    kids.set(kids.size() - 1, new HelloField(last.offset(), last.length(), last.name(), value,
        last.about(), List.of()));
  }

  private void add(HelloField field) {
    (open.isEmpty() ? top : open.peek().kids()).add(field);
  }
}
