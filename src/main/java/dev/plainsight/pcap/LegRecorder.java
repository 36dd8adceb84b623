package dev.plainsight.pcap;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records one socket's bytes as they cross it, up to {@code limit} bytes in all; beyond that the
 * leg is marked cut and later bytes are dropped (counted, not kept), so memory per leg stays at
 * most the limit. Thread-safe: the event loop appends, an export reads a {@link #snapshot}.
 */
public final class LegRecorder {
  private final InetSocketAddress client;
  private final InetSocketAddress server;
  private final Instant opened;
  private final long limit;
  private final LegIndex index;
  /** The client leg this upstream leg belongs to; null for a client leg. */
  private final LegRecorder parent;
  private boolean handedOver;
  private final List<TcpLeg.Segment> segments = new ArrayList<>();
  private final List<LegRecorder> upstream = new ArrayList<>();
  private long kept;
  private long dropped;
  private boolean cut;
  private TcpLeg.Ending ending;
  private Instant ended;
  /** The store's id of the client connection this leg (a client leg) carries; 0: not known. */
  private volatile long connectionId;

  LegRecorder(InetSocketAddress client, InetSocketAddress server, Instant opened, long limit,
      LegIndex index, LegRecorder parent) {
    this.index = index;
    this.parent = parent;
    this.client = client;
    this.server = server;
    this.opened = opened;
    this.limit = limit;
  }

  /** Copies what one side sent (the buffer's position is not moved). */
  public void bytes(boolean fromClient, ByteBuffer bytes) {
    bytes(fromClient, bytes, Instant.now());
  }

  /** Copies what one side sent at {@code at} (bytes held before the leg was known). */
  void bytes(boolean fromClient, ByteBuffer bytes, Instant at) {
    int length = bytes.remaining();
    synchronized (this) {
      if (ending != null) {
        return;
      }
      long room = limit - kept;
      if (room <= 0) {
        markCut();
        dropped += length;
        return;
      }
      int take = (int) Math.min(room, length);
      byte[] copy = new byte[take];
      bytes.duplicate().get(copy);
      segments.add(new TcpLeg.Segment(fromClient, at, copy));
      kept += take;
      if (take < length) {
        markCut();
        dropped += length - take;
      }
    }
  }

  /** {@code count} bytes crossed the socket that could not be kept: the leg is cut. */
  synchronized void lost(long count) {
    markCut();
    dropped += count;
  }

  private void markCut() {
    if (!cut) {
      cut = true;
      index.countCut();
    }
  }

  /** A new upstream leg this (client) leg caused: Plainsight's end to the server's. */
  public LegRecorder openUpstream(InetSocketAddress local, InetSocketAddress server) {
    return openUpstream(local, server, Instant.now());
  }

  /** As {@link #openUpstream(InetSocketAddress, InetSocketAddress)}, opened at {@code opened}. */
  public LegRecorder openUpstream(InetSocketAddress local, InetSocketAddress server,
      Instant opened) {
    LegRecorder leg = new LegRecorder(local, server, opened, limit, index, this);
    synchronized (this) {
      upstream.add(leg);
    }
    return leg;
  }

  /**
   * The leg ended: a FIN or RST, by the client or the server side. Once a client leg and every
   * leg it caused have ended, the client leg is handed over to be kept ({@link LegIndex}).
   */
  public void ended(TcpLeg.Ending how) {
    synchronized (this) {
      if (ending == null) {
        ending = how;
        ended = Instant.now();
      }
    }
    (parent == null ? this : parent).handOverIfEnded();
  }

  private void handOverIfEnded() {
    synchronized (this) {
      if (ending == null) {
        return;
      }
      for (LegRecorder up : upstream) {
        if (up.endedOrNull() == null) {
          return;
        }
      }
    }
    handOver();
  }

  /**
   * Hands this client leg over to be kept, once (also when a leg it caused never ended: the
   * caller's timer after the client's end). Nothing to hand over before its connection is named.
   */
  public void handOver() {
    synchronized (this) {
      if (handedOver || connectionId <= 0 || parent != null) {
        return;
      }
      handedOver = true;
    }
    index.handOver(this);
  }

  /** Bytes kept by this leg and the legs it caused, and their segment count: for the store. */
  synchronized long keptWithUpstream() {
    long bytes = LegCodec.sizeOf(kept, segments.size(), 1 + upstream.size());
    for (LegRecorder up : upstream) {
      bytes += up.keptBytes() + 13L * up.segmentCount();
    }
    return bytes;
  }

  private synchronized int segmentCount() {
    return segments.size();
  }

  synchronized List<LegRecorder> upstream() {
    return List.copyOf(upstream);
  }

  public InetSocketAddress client() {
    return client;
  }

  Instant opened() {
    return opened;
  }

  /** Names the client connection this client leg carries (its flows name it as theirs). */
  public void carries(long connection) {
    connectionId = connection;
  }

  long connectionId() {
    return connectionId;
  }

  synchronized Instant endedOrNull() {
    return ended;
  }

  synchronized long keptBytes() {
    return kept;
  }

  public synchronized boolean cut() {
    return cut;
  }

  /** The leg as recorded so far (a leg still open ends with no FIN or RST). */
  public synchronized TcpLeg snapshot() {
    return new TcpLeg(client, server, opened, opened, segments,
        cut ? TcpLeg.Ending.OPEN : ending, cut ? null : ended, cut);
  }

  /** The first bytes the client sent, up to {@code max}, for finding a ClientHello. */
  synchronized byte[] clientPrefix(int max) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (TcpLeg.Segment segment : segments) {
      if (segment.fromClient()) {
        out.write(segment.bytes(), 0, Math.min(segment.bytes().length, max - out.size()));
        if (out.size() >= max) {
          break;
        }
      }
    }
    return out.toByteArray();
  }
}
