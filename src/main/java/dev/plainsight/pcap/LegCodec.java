package dev.plainsight.pcap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a connection's legs: a version byte, then per leg its two addresses (length,
 * address bytes, port), times (epoch microseconds), ending, cut flag and segments (side, time,
 * length, bytes). Compact and exact; bytes are kept as they crossed the socket (TLS records do
 * not compress). {@link #decode} of anything else fails with an {@link IllegalArgumentException}
 * that says what is wrong.
 */
public final class LegCodec {
  private static final int VERSION = 1;
  private static final int MAX_SEGMENT = 64 << 20;

  private LegCodec() {}

  /** About how many bytes {@link #encode} gives for legs keeping {@code kept} bytes in all. */
  static long sizeOf(long kept, int segments, int legs) {
    return 1 + kept + 13L * segments + 64L * legs;
  }

  public static byte[] encode(List<TcpLeg> legs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeShort(legs.size());
      for (TcpLeg leg : legs) {
        address(out, leg.client());
        address(out, leg.server());
        out.writeLong(micros(leg.opened()));
        out.writeLong(micros(leg.established()));
        out.writeLong(micros(leg.ended()));
        out.writeByte(leg.ending().ordinal());
        out.writeBoolean(leg.cut());
        out.writeInt(leg.segments().size());
        for (TcpLeg.Segment segment : leg.segments()) {
          out.writeBoolean(segment.fromClient());
          out.writeLong(micros(segment.at()));
          out.writeInt(segment.bytes().length);
          out.write(segment.bytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static List<TcpLeg> decode(byte[] stored) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("stored legs of an unknown version " + version);
      }
      int count = in.readUnsignedShort();
      List<TcpLeg> legs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        InetSocketAddress client = address(in);
        InetSocketAddress server = address(in);
        Instant opened = instant(in.readLong());
        Instant established = instant(in.readLong());
        Instant ended = instant(in.readLong());
        int ending = in.readUnsignedByte();
        if (ending >= TcpLeg.Ending.values().length) {
          throw new IllegalArgumentException("stored legs: unknown ending " + ending);
        }
        boolean cut = in.readBoolean();
        int segments = in.readInt();
        List<TcpLeg.Segment> read = new ArrayList<>(Math.min(Math.max(segments, 0), 4096));
        for (int s = 0; s < segments; s++) {
          boolean fromClient = in.readBoolean();
          Instant at = instant(in.readLong());
          int length = in.readInt();
          if (length < 0 || length > MAX_SEGMENT || length > in.available()) {
            throw new IllegalArgumentException("stored legs: a segment of " + length + " bytes"
                + " where " + in.available() + " are left");
          }
          read.add(new TcpLeg.Segment(fromClient, at, in.readNBytes(length)));
        }
        legs.add(new TcpLeg(client, server, opened, established, read,
            TcpLeg.Ending.values()[ending], ended, cut));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("stored legs: " + in.available() + " bytes after the end");
      }
      return legs;
    } catch (IOException e) {
      throw new IllegalArgumentException("stored legs are cut short", e);
    }
  }

  private static void address(DataOutputStream out, InetSocketAddress address) throws IOException {
    byte[] ip = address.getAddress().getAddress();
    out.writeByte(ip.length);
    out.write(ip);
    out.writeShort(address.getPort());
  }

  private static InetSocketAddress address(DataInputStream in) throws IOException {
    int length = in.readUnsignedByte();
    if (length != 4 && length != 16) {
      throw new IllegalArgumentException("stored legs: an address of " + length + " bytes");
    }
    return new InetSocketAddress(InetAddress.getByAddress(in.readNBytes(length)),
        in.readUnsignedShort());
  }

  private static long micros(Instant at) {
    return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
