package dev.plainsight.pcap;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What crossed one TCP socket, as Plainsight saw it: who opened it ({@code client}) to whom, when
 * the handshake started and ended, the bytes each side sent in the order read (each {@link
 * Segment} is one read or write of Plainsight's, not a kernel packet), and how it ended. {@code
 * cut} says bytes beyond those kept were not recorded: the stream then stops at the last kept
 * byte, without an ending, so a reader never sees a gap.
 */
public record TcpLeg(InetSocketAddress client, InetSocketAddress server, Instant opened,
    Instant established, List<Segment> segments, Ending ending, Instant ended, boolean cut) {

  /** How the connection ended, and which side ended it. */
  public enum Ending { FIN_BY_CLIENT, FIN_BY_SERVER, RST_BY_CLIENT, RST_BY_SERVER, OPEN }

  /** Bytes one side sent, at the time Plainsight read or wrote them. */
  public record Segment(boolean fromClient, Instant at, byte[] bytes) {
    public Segment {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  public TcpLeg {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(opened, "opened");
    established = established == null ? opened : established;
    segments = List.copyOf(segments);
    ending = ending == null ? Ending.OPEN : ending;
    ended = ended == null ? lastTime(established, segments) : ended;
    if (client.getAddress() == null || server.getAddress() == null) {
      throw new IllegalArgumentException("a leg needs resolved addresses: " + client + " " + server);
    }
  }

  private static Instant lastTime(Instant start, List<Segment> segments) {
    return segments.isEmpty() ? start : segments.get(segments.size() - 1).at();
  }
}
