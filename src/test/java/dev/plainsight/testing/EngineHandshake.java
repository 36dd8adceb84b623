package dev.plainsight.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Runs a real TLS handshake between a client and a server {@link SSLEngine} in memory, then sends
 * "ping" one way and "pong" back. Returns the client's session; a refused handshake throws the
 * engine's own SSLException.
 */
public final class EngineHandshake {
  private EngineHandshake() {}

  public static SSLSession run(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    ByteBuffer serverGot = ByteBuffer.allocate(1 << 17);
    ByteBuffer clientGot = ByteBuffer.allocate(1 << 17);
    ByteBuffer ping = ByteBuffer.wrap("ping".getBytes(US_ASCII));
    ByteBuffer pong = ByteBuffer.wrap("pong".getBytes(US_ASCII));
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 100; round++) {
      wrap(client, ping, toServer);
      wrap(server, serverGot.position() > 0 ? pong : ByteBuffer.allocate(0), toClient);
      unwrap(server, toServer, serverGot);
      unwrap(client, toClient, clientGot);
      if (clientGot.position() == 4 && serverGot.position() == 4) {
        return client.getSession();
      }
    }
    throw new AssertionError("the handshake did not finish in 100 rounds");
  }

  private static void wrap(SSLEngine engine, ByteBuffer app, ByteBuffer net) throws SSLException {
    SSLEngineResult result;
    do {
      result = engine.wrap(app, net);
      runTasks(engine);
    } while (result.bytesProduced() > 0 && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP);
  }

  private static void unwrap(SSLEngine engine, ByteBuffer net, ByteBuffer app) throws SSLException {
    net.flip();
    try {
      while (net.hasRemaining()) {
        SSLEngineResult result = engine.unwrap(net, app);
        runTasks(engine);
        if (result.bytesConsumed() == 0) {
          break;
        }
      }
    } finally {
      net.compact();
    }
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
      task.run();
    }
  }
}
