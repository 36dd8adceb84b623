package dev.plainsight.capture;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.WebSocketMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The WebSocket messages of one upgraded flow, read from both directions' raw bytes as they pass.
 * Call {@link #read} with each piece of the stream (either direction, any thread); it answers
 * whether the flow changed with no update pending, i.e. when the caller should schedule one. Then
 * {@link #takeUpdate} gives the flow with its messages so far (null if nothing changed) for the
 * store. {@link #close} when the connection is gone: later bytes are ignored.
 *
 * <p>Bounded: each message keeps at most the body capture limit, all messages together at most
 * {@link Limits#payloadBytes()} (later payloads are cut, marked truncated), and at most
 * {@link Limits#messages()} are kept; the rest are counted in a closing {@code omitted} entry.
 */
public final class WebSocketCapture {
  /** How much of a conversation is kept. */
  public record Limits(int perMessage, int messages, long payloadBytes) {
    /** 1,000 messages, each up to {@code bodyLimit} bytes, four body limits in all. */
    public static Limits forBodyLimit(int bodyLimit) {
      return new Limits(bodyLimit, 1000, 4L * bodyLimit);
    }
  }

  private final Flow flow;
  private final Limits limits;
  private final WebSocketMessageReader fromClient;
  private final WebSocketMessageReader fromServer;
  private final List<MessageInflater> inflaters = new ArrayList<>(2);
  private final List<WebSocketMessage> messages = new ArrayList<>();
  private long payloadBytes;
  private long omitted;
  private Instant lastOmitted;
  private boolean changed;
  private boolean updatePending;
  private boolean closed;

  /**
   * {@code flow} as stored at the 101 (with its id); {@code extensions} the 101's
   * Sec-WebSocket-Extensions (null: none).
   */
  public WebSocketCapture(Flow flow, String extensions, Limits limits) {
    this.flow = flow;
    this.limits = limits;
    Deflate deflate = Deflate.of(extensions);
    this.fromClient = new WebSocketMessageReader(limits.perMessage(),
        inflater(deflate, deflate != null && deflate.clientNoContextTakeover()),
        (type, size, payload, truncated) -> add(true, type, size, payload, truncated));
    this.fromServer = new WebSocketMessageReader(limits.perMessage(),
        inflater(deflate, deflate != null && deflate.serverNoContextTakeover()),
        (type, size, payload, truncated) -> add(false, type, size, payload, truncated));
  }

  public long flowId() {
    return flow.id();
  }

  /** Takes {@code bytes} (it may be changed); true when the caller should schedule an update. */
  public synchronized boolean read(byte[] bytes, boolean client) {
    if (closed) {
      return false;
    }
    (client ? fromClient : fromServer).read(bytes);
    if (changed && !updatePending) {
      updatePending = true;
      return true;
    }
    return false;
  }

  /** The flow with every message so far, or null when nothing changed since the last call. */
  public synchronized Flow takeUpdate() {
    updatePending = false;
    if (!changed) {
      return null;
    }
    changed = false;
    List<WebSocketMessage> all = new ArrayList<>(messages.size() + 1);
    all.addAll(messages);
    if (omitted > 0) {
      all.add(WebSocketMessage.omitted(lastOmitted, omitted));
    }
    return flow.withMessages(all);
  }

  public synchronized void close() {
    if (!closed) {
      closed = true;
      inflaters.forEach(MessageInflater::close);
    }
  }

  private void add(boolean client, String type, long size, byte[] payload, boolean truncated) {
    changed = true;
    Instant now = Instant.now();
    if (messages.size() >= limits.messages()) {
      omitted++;
      lastOmitted = now;
      return;
    }
    long room = Math.max(0, limits.payloadBytes() - payloadBytes);
    byte[] kept = payload.length <= room ? payload : Arrays.copyOf(payload, (int) room);
    payloadBytes += kept.length;
    messages.add(new WebSocketMessage(now, client, type, size, kept,
        truncated || kept.length < payload.length));
  }

  private MessageInflater inflater(Deflate deflate, boolean resetEachMessage) {
    if (deflate == null) {
      return null;
    }
    MessageInflater inflater = new MessageInflater(resetEachMessage);
    inflaters.add(inflater);
    return inflater;
  }

  /** The permessage-deflate parameters a 101 agreed to, or null when it agreed to none. */
  record Deflate(boolean clientNoContextTakeover, boolean serverNoContextTakeover) {
    static Deflate of(String extensions) {
      if (extensions == null) {
        return null;
      }
      for (String extension : extensions.split(",")) {
        String[] parts = extension.split(";");
        if (parts[0].trim().equalsIgnoreCase("permessage-deflate")) {
          String params = extension.toLowerCase(Locale.ROOT);
          return new Deflate(params.contains("client_no_context_takeover"),
              params.contains("server_no_context_takeover"));
        }
      }
      return null;
    }
  }
}
