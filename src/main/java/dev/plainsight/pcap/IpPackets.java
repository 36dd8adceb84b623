package dev.plainsight.pcap;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Builds raw IPv4 or IPv6 packets carrying one TCP segment, with correct lengths and checksums
 * (so Wireshark's checks stay quiet). TCP flags are the standard bits; {@code synOptions} adds the
 * MSS and window-scale options a real SYN carries.
 */
final class IpPackets {
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;

  /** Window scale announced in the SYNs: an unscaled window of 65535 then means 8 MiB. */
  static final int WINDOW_SCALE = 7;
  static final int MSS = 65_495;

  private int identification;

  private IpPackets() {}

  static IpPackets create() {
    return new IpPackets();
  }

  byte[] tcp(InetSocketAddress from, InetSocketAddress to, long seq, long ack, int flags,
      byte[] payload, int offset, int length) {
    boolean syn = (flags & SYN) != 0;
    byte[] options = syn ? new byte[] {2, 4, (byte) (MSS >> 8), (byte) MSS, 1, 3, 3,
        (byte) WINDOW_SCALE} : new byte[0];
    int tcpLength = 20 + options.length + length;
    ByteBuffer tcp = ByteBuffer.allocate(tcpLength);
    tcp.putShort((short) from.getPort()).putShort((short) to.getPort());
    tcp.putInt((int) seq).putInt((int) ack);
    tcp.put((byte) (((20 + options.length) / 4) << 4)).put((byte) flags);
    tcp.putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0);
    tcp.put(options).put(payload, offset, length);
    byte[] segment = tcp.array();
    byte[] source = from.getAddress().getAddress();
    byte[] target = to.getAddress().getAddress();
    int checksum = checksum(pseudoHeaderSum(source, target, tcpLength), segment);
    segment[16] = (byte) (checksum >> 8);
    segment[17] = (byte) checksum;
    return from.getAddress() instanceof Inet4Address ? ipv4(source, target, segment)
        : ipv6(source, target, segment);
  }

  private byte[] ipv4(byte[] source, byte[] target, byte[] segment) {
    ByteBuffer ip = ByteBuffer.allocate(20 + segment.length);
    ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + segment.length));
    ip.putShort((short) identification++).putShort((short) 0x4000);
    ip.put((byte) 64).put((byte) 6).putShort((short) 0).put(source).put(target);
    byte[] packet = ip.array();
    int checksum = checksum(0, java.util.Arrays.copyOf(packet, 20));
    packet[10] = (byte) (checksum >> 8);
    packet[11] = (byte) checksum;
    System.arraycopy(segment, 0, packet, 20, segment.length);
    return packet;
  }

  private static byte[] ipv6(byte[] source, byte[] target, byte[] segment) {
    ByteBuffer ip = ByteBuffer.allocate(40 + segment.length);
    ip.putInt(0x6000_0000).putShort((short) segment.length).put((byte) 6).put((byte) 64);
    ip.put(source).put(target).put(segment);
    return ip.array();
  }

  private static long pseudoHeaderSum(byte[] source, byte[] target, int tcpLength) {
    long sum = sumWords(source) + sumWords(target) + 6 + (tcpLength & 0xFFFF);
    return source.length == 16 ? sum + (tcpLength >>> 16) : sum;
  }

  private static int checksum(long initial, byte[] data) {
    long sum = initial + sumWords(data);
    while ((sum >> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  private static long sumWords(byte[] data) {
    long sum = 0;
    for (int i = 0; i + 1 < data.length; i += 2) {
      sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
    }
    if ((data.length & 1) == 1) {
      sum += (data[data.length - 1] & 0xFF) << 8;
    }
    return sum;
  }

  static boolean sameFamily(InetSocketAddress a, InetSocketAddress b) {
    return (a.getAddress() instanceof Inet6Address) == (b.getAddress() instanceof Inet6Address);
  }
}
