package dev.plainsight.pcap;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The network bytes one TLS engine wrapped (to the server) and unwrapped (from it), for the leg
 * of the socket the engine's handler sits first on. The engine starts its handshake as soon as
 * its handler is added, before anything tells which socket it belongs to, so the bytes are held
 * (with their times, up to {@code limit}) until {@link #attachTo} names the leg; from then on they
 * go straight to it. Thread-safe: the engine and the socket's tap run on the same loop, an export
 * only reads the leg.
 */
public final class EngineWire {
  private final long limit;
  private List<TcpLeg.Segment> held = new ArrayList<>();
  private long heldBytes;
  private long overflow;
  private LegRecorder leg;
  private boolean detached;

  public EngineWire(long limit) {
    this.limit = limit;
  }

  /** The engine wrapped ({@code toServer}) or unwrapped these bytes (position not moved). */
  public void bytes(boolean toServer, ByteBuffer bytes) {
    LegRecorder target;
    synchronized (this) {
      target = leg;
      if (target == null) {
        hold(toServer, bytes);
        return;
      }
    }
    target.bytes(toServer, bytes);
  }

  private void hold(boolean toServer, ByteBuffer bytes) {
    if (detached) {
      return;
    }
    int take = (int) Math.min(bytes.remaining(), limit - heldBytes);
    if (take > 0) {
      byte[] copy = new byte[take];
      bytes.duplicate().get(copy);
      held.add(new TcpLeg.Segment(toServer, Instant.now(), copy));
      heldBytes += take;
    }
    overflow += bytes.remaining() - take;
  }

  /** Whether no leg was named yet (nor refused): the bytes so far are held. */
  public synchronized boolean waiting() {
    return leg == null && !detached;
  }

  /** The leg these bytes belong to: the held ones are handed over in order, then the rest. */
  public void attachTo(LegRecorder target) {
    List<TcpLeg.Segment> earlier;
    long lost;
    synchronized (this) {
      if (leg != null || detached) {
        return;
      }
      earlier = held;
      lost = overflow;
      held = List.of();
      leg = target;
    }
    for (TcpLeg.Segment segment : earlier) {
      target.bytes(segment.fromClient(), ByteBuffer.wrap(segment.bytes()), segment.at());
    }
    if (lost > 0) {
      target.lost(lost);
    }
  }

  /** No leg will take these bytes (the engine is not the socket's outermost): drop them. */
  public synchronized void detach() {
    detached = true;
    held = List.of();
  }
}
