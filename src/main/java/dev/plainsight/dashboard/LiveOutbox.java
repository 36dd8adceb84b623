package dev.plainsight.dashboard;

import java.util.function.Consumer;

/**
 * What one dashboard's live feed still has to send, bounded: at most {@link #MAX_IN_FLIGHT}
 * messages handed to the socket and not yet written. Past that the dashboard is <em>behind</em>:
 * further flows are dropped for it, and once everything in flight is written it gets one
 * {@code {"resync": true}} (the page reloads its list) and is live again. A dashboard behind for
 * longer than {@link #STALL_NANOS} without one write completing is stalled: {@link #offer}
 * answers false and the caller disconnects it. Thread-safe: offered on the live executor,
 * completed on the socket's threads.
 */
final class LiveOutbox {
  static final int MAX_IN_FLIGHT = 256;
  static final long STALL_NANOS = 10_000_000_000L;
  static final String RESYNC = "{\"resync\":true}";

  /** The socket side: send a text message, then call {@code done} (null, or the failure). */
  interface Socket {
    void send(String text, Consumer<Throwable> done);

    void disconnect();
  }

  private final Socket socket;
  private int inFlight;
  private boolean behind;
  private boolean failed;
  private long progressAt = System.nanoTime();
  private long dropped;

  LiveOutbox(Socket socket) {
    this.socket = socket;
  }

  /** Sends, or drops when behind; false when the socket failed or stalled (disconnect it). */
  boolean offer(String message) {
    synchronized (this) {
      if (failed) {
        return false;
      }
      if (behind || inFlight >= MAX_IN_FLIGHT) {
        if (!behind) {
          behind = true;
        }
        dropped++;
        if (inFlight > 0 && System.nanoTime() - progressAt > STALL_NANOS) {
          failed = true;
          return false;
        }
        if (inFlight > 0) {
          return true;
        }
        behind = false;
        message = RESYNC;
      }
      inFlight++;
    }
    socket.send(message, this::written);
    return true;
  }

  /** Marks the dashboard behind (the live queue overflowed): it gets a resync when drained. */
  synchronized void fallBehind() {
    behind = true;
    dropped++;
  }

  synchronized long dropped() {
    return dropped;
  }

  synchronized boolean behind() {
    return behind;
  }

  void disconnect() {
    socket.disconnect();
  }

  private void written(Throwable failure) {
    boolean resync;
    synchronized (this) {
      progressAt = System.nanoTime();
      inFlight--;
      if (failure != null) {
        failed = true;
      }
      resync = !failed && behind && inFlight == 0;
      if (resync) {
        behind = false;
        inFlight++;
      }
    }
    if (resync) {
      socket.send(RESYNC, this::written);
    }
  }
}
