package dev.plainsight.proxy;

import dev.plainsight.pcap.EngineWire;
import dev.plainsight.tls.Direction;
import dev.plainsight.tls.TlsObserver;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * An SSLEngine that delegates everything and shows a {@link TlsObserver} the exact network bytes
 * the delegate consumed ({@code unwrap}: from the server) and produced ({@code wrap}: to the
 * server). This is how the proxy's own upstream handshake is observed as an eavesdropper on that
 * wire would see it, without touching Netty's pipeline. When the handshake finishes, the observer
 * is filed under the session so the interception layer can find it. With packet capture on, the
 * same bytes also go to an {@link EngineWire}, the server leg's record. Reference counting is
 * forwarded, so Netty's SslHandler frees a BoringSSL delegate's native state when it is removed.
 */
public final class ObservedSslEngine extends ForwardingSslEngine implements ReferenceCounted {
  private final TlsObserver observer;
  private final UpstreamObservations registry;
  private final EngineWire wire;

  /** {@code observer} or {@code wire} may be null: that one is not fed. */
  public ObservedSslEngine(SSLEngine delegate, TlsObserver observer, UpstreamObservations registry,
      EngineWire wire) {
    super(delegate);
    this.observer = observer;
    this.registry = registry;
    this.wire = wire;
  }

  /** The server leg's record of this engine's network bytes, or null (capture off). */
  public EngineWire wire() {
    return wire;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
      throws SSLException {
    int start = dst.position();
    SSLEngineResult result = delegate().wrap(srcs, offset, length, dst);
    observe(Direction.CLIENT_TO_SERVER, dst, start, result.bytesProduced());
    noteFinished(result);
    return result;
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
      throws SSLException {
    int start = src.position();
    SSLEngineResult result = delegate().unwrap(src, dsts, offset, length);
    observe(Direction.SERVER_TO_CLIENT, src, start, result.bytesConsumed());
    noteFinished(result);
    return result;
  }

  private void observe(Direction direction, ByteBuffer buffer, int start, int count) {
    if (count > 0) {
      ByteBuffer view = buffer.duplicate();
      view.limit(start + count).position(start);
      if (wire != null) {
        wire.bytes(direction == Direction.CLIENT_TO_SERVER, view);
      }
      if (observer != null) {
        observer.onBytes(direction, view, System.currentTimeMillis());
      }
    }
  }

  private void noteFinished(SSLEngineResult result) {
    if (observer != null
        && result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
      registry.register(delegate().getSession(), observer);
    }
  }

  @Override
  public int refCnt() {
    return delegate() instanceof ReferenceCounted counted ? counted.refCnt() : 1;
  }

  @Override
  public ReferenceCounted retain() {
    return retain(1);
  }

  @Override
  public ReferenceCounted retain(int increment) {
    if (delegate() instanceof ReferenceCounted counted) {
      counted.retain(increment);
    }
    return this;
  }

  @Override
  public ReferenceCounted touch() {
    return touch(null);
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    if (delegate() instanceof ReferenceCounted counted) {
      counted.touch(hint);
    }
    return this;
  }

  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int decrement) {
    return delegate() instanceof ReferenceCounted counted && counted.release(decrement);
  }
}
