package dev.plainsight.pcap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one {@link TcpLeg} into the packets of a well-formed TCP stream: SYN, SYN-ACK, ACK at the
 * handshake's times; each recorded segment as data packets of at most {@link #CHUNK} bytes with
 * the sequence numbers a real stack would use, each answered by an ACK; then FIN/FIN/ACK or RST as
 * the connection ended. The framing is synthetic (sizes are Plainsight's reads, not the kernel's
 * packets) but consistent, so Wireshark reassembles it without warnings about lost or repeated
 * segments.
 */
final class SyntheticTcp {
  static final int CHUNK = 32 * 1024;

  /** One packet, at its time. */
  record Packet(Instant at, byte[] data) {}

  private final IpPackets ip = IpPackets.create();

  List<Packet> packets(TcpLeg leg) {
    if (!IpPackets.sameFamily(leg.client(), leg.server())) {
      throw new IllegalArgumentException("one leg mixes IPv4 and IPv6: " + leg.client() + " "
          + leg.server());
    }
    List<Packet> out = new ArrayList<>();
    long clientSeq = initialSequence(leg, 0x5EED_1000L);
    long serverSeq = initialSequence(leg, 0x5EED_2000L);
    out.add(from(leg, true, leg.opened(), clientSeq, 0, IpPackets.SYN));
    clientSeq++;
    out.add(from(leg, false, leg.established(), serverSeq, clientSeq,
        IpPackets.SYN | IpPackets.ACK));
    serverSeq++;
    out.add(from(leg, true, leg.established(), clientSeq, serverSeq, IpPackets.ACK));
    for (TcpLeg.Segment segment : leg.segments()) {
      byte[] bytes = segment.bytes();
      boolean client = segment.fromClient();
      for (int offset = 0; offset < bytes.length; offset += CHUNK) {
        int length = Math.min(CHUNK, bytes.length - offset);
        long seq = client ? clientSeq : serverSeq;
        long ack = client ? serverSeq : clientSeq;
        out.add(new Packet(segment.at(), ip.tcp(sender(leg, client), receiver(leg, client), seq,
            ack, IpPackets.PSH | IpPackets.ACK, bytes, offset, length)));
        if (client) {
          clientSeq += length;
        } else {
          serverSeq += length;
        }
      }
      if (bytes.length > 0) {
        out.add(from(leg, !client, segment.at(), client ? serverSeq : clientSeq,
            client ? clientSeq : serverSeq, IpPackets.ACK));
      }
    }
    if (!leg.cut()) {
      close(leg, out, clientSeq, serverSeq);
    }
    return inTimeOrder(out);
  }

  /** Never earlier than the packet before it: a merge by time must not reorder one stream. */
  private static List<Packet> inTimeOrder(List<Packet> packets) {
    List<Packet> ordered = new ArrayList<>(packets.size());
    Instant last = Instant.MIN;
    for (Packet packet : packets) {
      last = packet.at().isBefore(last) ? last : packet.at();
      ordered.add(packet.at() == last ? packet : new Packet(last, packet.data()));
    }
    return ordered;
  }

  private void close(TcpLeg leg, List<Packet> out, long clientSeq, long serverSeq) {
    Instant at = leg.ended();
    switch (leg.ending()) {
      case FIN_BY_CLIENT, FIN_BY_SERVER -> {
        boolean client = leg.ending() == TcpLeg.Ending.FIN_BY_CLIENT;
        long closerSeq = client ? clientSeq : serverSeq;
        long otherSeq = client ? serverSeq : clientSeq;
        int finAck = IpPackets.FIN | IpPackets.ACK;
        out.add(from(leg, client, at, closerSeq, otherSeq, finAck));
        out.add(from(leg, !client, at, otherSeq, closerSeq + 1, finAck));
        out.add(from(leg, client, at, closerSeq + 1, otherSeq + 1, IpPackets.ACK));
      }
      case RST_BY_CLIENT, RST_BY_SERVER -> {
        boolean client = leg.ending() == TcpLeg.Ending.RST_BY_CLIENT;
        out.add(from(leg, client, at, client ? clientSeq : serverSeq,
            client ? serverSeq : clientSeq, IpPackets.RST | IpPackets.ACK));
      }
      case OPEN -> { }
    }
  }

  private Packet from(TcpLeg leg, boolean client, Instant at, long seq, long ack, int flags) {
    return new Packet(at, ip.tcp(sender(leg, client), receiver(leg, client), seq, ack, flags,
        new byte[0], 0, 0));
  }

  private static java.net.InetSocketAddress sender(TcpLeg leg, boolean client) {
    return client ? leg.client() : leg.server();
  }

  private static java.net.InetSocketAddress receiver(TcpLeg leg, boolean client) {
    return client ? leg.server() : leg.client();
  }

  /** A fixed-looking but per-leg initial sequence number (any value is valid TCP). */
  private static long initialSequence(TcpLeg leg, long salt) {
    long mixed = salt * 31 + leg.client().getPort() * 65_537L + leg.server().getPort();
    return (mixed * 0x9E37_79B9L) & 0xFFFF_FFFFL;
  }
}
