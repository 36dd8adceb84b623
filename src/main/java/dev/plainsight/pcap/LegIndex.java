package dev.plainsight.pcap;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recent connection legs, keyed by their client connection: a client leg (the participant's
 * socket to Plainsight) and the upstream legs it caused. A flow finds its client leg by its
 * connection id ({@link LegRecorder#carries}, named when the connection's record is made), never
 * by address or time, so devices behind one address never see each other's legs. Bounded: each
 * leg keeps at most {@code perLeg} bytes, and the oldest client legs (with their upstream legs)
 * are forgotten once all kept bytes pass {@code total}. {@link #off()} records nothing.
 */
public final class LegIndex {
  public static final long DEFAULT_LIMIT = 256 * 1024;
  private static final int MAX_CLIENT_LEGS = 4096;

  private final long perLeg;
  private final long total;
  private final Deque<LegRecorder> clients = new ArrayDeque<>();
  private final AtomicLong cutLegs = new AtomicLong();
  private volatile java.util.function.Consumer<LegRecorder> ended = leg -> { };

  public LegIndex(long perLeg, long total) {
    this.perLeg = perLeg;
    this.total = total;
  }

  public static LegIndex off() {
    return new LegIndex(0, 0);
  }

  /** Per leg {@code perLeg} bytes; in all, 512 legs' worth (64 MiB to an eighth of the heap). */
  public static LegIndex withLimit(long perLeg) {
    // 512 legs' worth (at least 64 MiB), but never more than an eighth of the heap: a room
    // started with a small heap (-Xmx96m) must not run out of memory for its captures
    long heapShare = Runtime.getRuntime().maxMemory() / 8;
    return new LegIndex(perLeg, Math.min(heapShare, Math.max(64L << 20, perLeg * 512)));
  }

  public boolean isOn() {
    return perLeg > 0;
  }

  /** The most bytes each leg keeps. */
  public long perLeg() {
    return perLeg;
  }

  /** A new client leg: {@code client} is the participant's end, {@code server} Plainsight's. */
  public LegRecorder openClient(InetSocketAddress client, InetSocketAddress server) {
    LegRecorder leg = new LegRecorder(client, server, Instant.now(), perLeg, this, null);
    synchronized (clients) {
      clients.addLast(leg);
      trim();
    }
    return leg;
  }

  /** Who takes each client leg once it and the legs it caused have ended (to keep them). */
  public void whenEnded(java.util.function.Consumer<LegRecorder> taker) {
    ended = taker;
  }

  void handOver(LegRecorder clientLeg) {
    ended.accept(clientLeg);
  }

  void countCut() {
    cutLegs.incrementAndGet();
  }

  /** How many legs reached their limit (for the stats). */
  public long cutLegs() {
    return cutLegs.get();
  }

  /** The client leg that carried the client connection {@code connectionId}, or null. */
  public LegRecorder clientLegOf(long connectionId) {
    if (connectionId <= 0) {
      return null;
    }
    synchronized (clients) {
      for (LegRecorder leg : clients) {
        if (leg.connectionId() == connectionId) {
          return leg;
        }
      }
    }
    return null;
  }

  /** The legs of a client connection: the client leg first, then its upstream legs. */
  public List<TcpLeg> legsOf(LegRecorder clientLeg) {
    List<TcpLeg> legs = new ArrayList<>();
    legs.add(clientLeg.snapshot());
    for (LegRecorder up : clientLeg.upstream()) {
      legs.add(up.snapshot());
    }
    return legs;
  }

  private void trim() {
    long kept = 0;
    for (LegRecorder leg : clients) {
      kept += leg.keptBytes();
      for (LegRecorder up : leg.upstream()) {
        kept += up.keptBytes();
      }
    }
    Iterator<LegRecorder> oldest = clients.iterator();
    while (oldest.hasNext() && (kept > total || clients.size() > MAX_CLIENT_LEGS)) {
      LegRecorder leg = oldest.next();
      kept -= leg.keptBytes();
      for (LegRecorder up : leg.upstream()) {
        kept -= up.keptBytes();
      }
      oldest.remove();
    }
  }
}
