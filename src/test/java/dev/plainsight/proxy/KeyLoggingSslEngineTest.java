package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.keylog.JdkSecretTap;
import dev.plainsight.keylog.KeyLog;
import dev.plainsight.keylog.Tls12Sessions;
import dev.plainsight.testing.EngineHandshake;
import dev.plainsight.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK engine's key log without sockets: a client and a server JSSE engine, each wrapped and
 * logging to a file of its own, handshake in memory. Both sides derive the secrets on their own,
 * so the two files must hold the same lines, and the labels tell TLS 1.2 from 1.3.
 */
class KeyLoggingSslEngineTest {
  private static final TestPki PKI = TestPki.create("Engine Key Log CA");
  private static final SSLContext SERVER = PKI.issue("localhost").serverContext();

  @TempDir Path dir;

  @BeforeAll
  static void tap() {
    assertTrue(JdkSecretTap.install(), "JSSE's derivations go through the tap");
  }

  @Test
  void aTls13HandshakeLogsTheFourTrafficSecretsOnBothSidesAlike() throws Exception {
    SSLContext client = PKI.clientContextTrusting();
    List<String> lines = handshake(client, new Tls12Sessions(), new Tls12Sessions(), "TLSv1.3");
    assertEquals(Set.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"), labels(lines));
  }

  @Test
  void aTls12HandshakeLogsTheMasterSecretOnBothSidesAlike() throws Exception {
    SSLContext client = PKI.clientContextTrusting();
    List<String> lines = handshake(client, new Tls12Sessions(), new Tls12Sessions(), "TLSv1.2");
    assertEquals(Set.of("CLIENT_RANDOM"), labels(lines));
    assertEquals(1, lines.size());
  }

  @Test
  void aResumedTls12SessionIsLoggedUnderItsNewClientRandom() throws Exception {
    SSLContext client = PKI.clientContextTrusting();
    Tls12Sessions clientSessions = new Tls12Sessions();
    Tls12Sessions serverSessions = new Tls12Sessions();
    List<String> first = handshake(client, clientSessions, serverSessions, "TLSv1.2");
    List<String> second = handshake(client, clientSessions, serverSessions, "TLSv1.2");
    assertEquals(1, second.size(), "one line: " + second);
    assertTrue(!first.get(0).split(" ")[1].equals(second.get(0).split(" ")[1]),
        "a new client random");
    assertEquals(first.get(0).split(" ")[2], second.get(0).split(" ")[2],
        "the session's master secret: it was resumed");
  }

  /** One handshake; returns the client's lines after checking the server wrote the same. */
  private List<String> handshake(SSLContext client, Tls12Sessions clientSessions,
      Tls12Sessions serverSessions, String protocol) throws Exception {
    Path clientFile = Files.createTempFile(dir, "client", ".keys");
    Path serverFile = Files.createTempFile(dir, "server", ".keys");
    try (KeyLog clientLog = KeyLog.open(clientFile); KeyLog serverLog = KeyLog.open(serverFile)) {
      SSLEngine clientEngine = client.createSSLEngine("localhost", 443);
      clientEngine.setUseClientMode(true);
      clientEngine.setEnabledProtocols(new String[] {protocol});
      SSLEngine serverEngine = SERVER.createSSLEngine();
      serverEngine.setUseClientMode(false);
      EngineHandshake.run(new KeyLoggingSslEngine(clientEngine, clientLog, clientSessions),
          new KeyLoggingSslEngine(serverEngine, serverLog, serverSessions));
    }
    List<String> clientLines = Files.readAllLines(clientFile);
    assertEquals(Set.copyOf(clientLines), Set.copyOf(Files.readAllLines(serverFile)),
        "client and server logged the same secrets");
    return clientLines;
  }

  private static Set<String> labels(List<String> lines) {
    return lines.stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
  }
}
