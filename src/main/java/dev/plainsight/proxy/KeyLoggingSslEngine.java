package dev.plainsight.proxy;

import dev.plainsight.keylog.ClientRandom;
import dev.plainsight.keylog.JdkSecretTap;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.keylog.NssLine;
import dev.plainsight.keylog.SecretSink;
import dev.plainsight.keylog.Tls12Sessions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A JDK engine whose secrets go to the key log. Every call that may advance the handshake
 * ({@code wrap}, {@code unwrap}, a delegated task, wherever it runs) runs with this engine as the
 * thread's {@link SecretSink}, so the {@link JdkSecretTap} reports what JSSE derives for it. The
 * client random is read from the ClientHello this engine sends (client mode) or receives (server
 * mode); a secret reported before it is known waits for it. A resumed TLS 1.2 handshake derives
 * nothing new: its session's master secret is logged again under the new client random.
 */
final class KeyLoggingSslEngine extends ForwardingSslEngine implements SecretSink {
  private final KeyLog log;
  private final Tls12Sessions sessions;
  private final List<Waiting> waiting = new ArrayList<>();
  private byte[] clientRandom;
  private byte[] masterSecret;

  KeyLoggingSslEngine(SSLEngine delegate, KeyLog log, Tls12Sessions sessions) {
    super(delegate);
    this.log = log;
    this.sessions = sessions;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
      throws SSLException {
    int start = dst.position();
    SSLEngineResult result;
    SecretSink previous = JdkSecretTap.enter(this);
    try {
      result = delegate().wrap(srcs, offset, length, dst);
    } finally {
      JdkSecretTap.leave(previous);
    }
    if (clientRandom == null && getUseClientMode() && result.bytesProduced() > 0) {
      ByteBuffer hello = dst.duplicate();
      hello.limit(start + result.bytesProduced()).position(start);
      clientRandom(ClientRandom.fromHello(hello));
    }
    noteFinished(result);
    return result;
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
      throws SSLException {
    if (clientRandom == null && !getUseClientMode()) {
      clientRandom(ClientRandom.fromHello(src));
    }
    SSLEngineResult result;
    SecretSink previous = JdkSecretTap.enter(this);
    try {
      result = delegate().unwrap(src, dsts, offset, length);
    } finally {
      JdkSecretTap.leave(previous);
    }
    noteFinished(result);
    return result;
  }

  @Override
  public Runnable getDelegatedTask() {
    Runnable task = delegate().getDelegatedTask();
    return task == null ? null : () -> {
      SecretSink previous = JdkSecretTap.enter(this);
      try {
        task.run();
      } finally {
        JdkSecretTap.leave(previous);
      }
    };
  }

  @Override
  public synchronized void secret(String nssLabel, byte[] secret) {
    if (NssLine.CLIENT_RANDOM.equals(nssLabel)) {
      masterSecret = secret;
    }
    if (clientRandom == null) {
      waiting.add(new Waiting(nssLabel, secret));
    } else {
      log.write(nssLabel, clientRandom, secret);
    }
  }

  private synchronized void clientRandom(byte[] random) {
    if (random == null || clientRandom != null) {
      return;
    }
    clientRandom = random;
    for (Waiting secret : waiting) {
      log.write(secret.label(), random, secret.secret());
    }
    waiting.clear();
  }

  private record Waiting(String label, byte[] secret) {}

  private void noteFinished(SSLEngineResult result) {
    if (result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.FINISHED) {
      return;
    }
    SSLSession session = getSession();
    if (!"TLSv1.2".equals(session.getProtocol())) {
      return;
    }
    byte[] fresh;
    synchronized (this) {
      fresh = masterSecret;
    }
    if (fresh != null) {
      sessions.remember(session, fresh);
    } else {
      byte[] resumed = sessions.masterSecretOf(session);
      if (resumed != null) {
        secret(NssLine.CLIENT_RANDOM, resumed);
      }
    }
  }
}
