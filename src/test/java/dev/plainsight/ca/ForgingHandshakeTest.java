package dev.plainsight.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.EngineHandshake;
import dev.plainsight.testing.TestPki;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes against {@link TlsContexts#forgingServerContext}, by a client trusting the root. */
class ForgingHandshakeTest {
  @TempDir static Path caDir;
  static RootCa ca;
  static LeafMinter minter;
  static SSLContext forging;
  static SSLContext clientTrustingRoot;
  static ExecutorService server = Executors.newCachedThreadPool();

  @BeforeAll
  static void setUp() throws Exception {
    long start = System.nanoTime();
    ca = RootCa.loadOrCreate(caDir);
    minter = new LeafMinter(ca);
    forging = TlsContexts.forgingServerContext(minter);
    System.out.printf("TIMING cold CA generation + leaf key + context %.1f ms%n", (System.nanoTime() - start) / 1e6);
    clientTrustingRoot = TestPki.create("unused").clientContextTrusting(ca.certificate());
  }

  @AfterAll
  static void tearDown() {
    server.shutdownNow();
  }

  @Test
  void clientAskingForAHostBySniGetsALeafForThatHost() throws Exception {
    SSLEngine client = clientEngine("a.example");
    SSLEngine proxySide = serverEngine("connect-host.example"); // SNI wins over the CONNECT host

    SSLSession session = EngineHandshake.run(client, proxySide);

    assertEquals(List.of(List.of(2, "a.example")), sans(session));
    assertEquals(ca.certificate(), session.getPeerCertificates()[1]);
  }

  @Test
  void clientConnectingToAnIpWithoutSniGetsALeafForTheConnectHost() throws Exception {
    SSLEngine client = clientEngine("10.1.2.3");
    SSLEngine proxySide = serverEngine("10.1.2.3");

    SSLSession session = EngineHandshake.run(client, proxySide);

    assertEquals(List.of(List.of(7, "10.1.2.3")), sans(session));
  }

  @Test
  void tls12ClientsAreServedTooWithTheSameEcLeaf() throws Exception {
    SSLEngine client = clientEngine("old.example");
    client.setEnabledProtocols(new String[] {"TLSv1.2"});

    SSLSession session = EngineHandshake.run(client, serverEngine("old.example"));

    assertEquals("TLSv1.2", session.getProtocol());
    assertTrue(session.getCipherSuite().contains("ECDSA"), session.getCipherSuite());
  }

  @Test
  void clientThatDoesNotTrustTheRootRefuses() throws Exception {
    SSLContext stranger = TestPki.create("Other CA").clientContextTrusting();
    SSLEngine client = stranger.createSSLEngine("a.example", 443);
    client.setUseClientMode(true);

    assertThrows(SSLHandshakeException.class, () -> EngineHandshake.run(client, serverEngine("a.example")));
  }

  @Test
  void serverContextSpeaksOnlyTls13And12WithoutAlpn() {
    SSLEngine engine = serverEngine("a.example");

    assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(engine.getEnabledProtocols()));
    assertEquals(0, engine.getSSLParameters().getApplicationProtocols().length);
  }

  @Test
  void keyManagerOffersNothingForNonEcKeyTypes() {
    ForgingKeyManager keys = new ForgingKeyManager(minter);
    SSLEngine engine = serverEngine("a.example");

    assertNull(keys.chooseEngineServerAlias("RSA", null, engine));
    assertNull(keys.chooseEngineServerAlias("RSASSA-PSS", null, engine));
    assertNull(keys.getCertificateChain(null));
    assertNull(keys.getCertificateChain("not a host"));
  }

  @Test
  void loopbackSocketHandshakesServeSniNamesAndIpLiterals() throws Exception {
    try (SSLServerSocket listener = listen()) {
      long first = System.nanoTime();
      assertEquals(List.of(List.of(2, "warmup.example")), sans(connect(listener, "warmup.example")));
      double coldMs = (System.nanoTime() - first) / 1e6;

      long newHost = System.nanoTime();
      assertEquals(List.of(List.of(2, "a.example")), sans(connect(listener, "a.example")));
      double newHostMs = (System.nanoTime() - newHost) / 1e6;

      long again = System.nanoTime();
      connect(listener, "a.example");
      double sameHostMs = (System.nanoTime() - again) / 1e6;

      assertEquals(List.of(List.of(7, "127.0.0.1")), sans(connect(listener, "127.0.0.1")));

      double[] fresh = new double[20];
      for (int i = 0; i < fresh.length; i++) {
        long t = System.nanoTime();
        connect(listener, "new" + i + ".example");
        fresh[i] = (System.nanoTime() - t) / 1e6;
      }
      java.util.Arrays.sort(fresh);
      System.out.printf("TIMING loopback handshake: first in this JVM %.1f ms; a new host %.1f ms; same host"
              + " again %.1f ms; 20 new hosts median %.1f ms, max %.1f ms%n",
          coldMs, newHostMs, sameHostMs, fresh[10], fresh[19]);
    }
  }

  private SSLServerSocket listen() throws Exception {
    SSLServerSocket listener = (SSLServerSocket) forging.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.submit(() -> {
      while (!listener.isClosed()) {
        try (SSLSocket accepted = (SSLSocket) listener.accept()) {
          accepted.setTcpNoDelay(true); // as Netty does; else Nagle and delayed ACKs add ~40 ms
          accepted.startHandshake();
          accepted.getOutputStream().write('!');
          accepted.getOutputStream().flush();
        } catch (Exception e) {
          // the client's assertion reports the failure
        }
      }
      return null;
    });
    return listener;
  }

  /** Connects to 127.0.0.1, asking for {@code host}: a name goes out as SNI, an IP literal does not. */
  private static SSLSession connect(SSLServerSocket listener, String host) throws Exception {
    Socket plain = new Socket();
    plain.setTcpNoDelay(true);
    plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 5000);
    try (SSLSocket socket = (SSLSocket) clientTrustingRoot.getSocketFactory()
        .createSocket(plain, host, listener.getLocalPort(), true)) {
      socket.setSoTimeout(5000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      try (InputStream in = socket.getInputStream()) {
        assertEquals('!', in.read());
      }
      return socket.getSession();
    }
  }

  private static SSLEngine clientEngine(String host) {
    SSLEngine engine = clientTrustingRoot.createSSLEngine(host, 443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** As the proxy makes it: createSSLEngine(connectHost, port), server mode. */
  private static SSLEngine serverEngine(String connectHost) {
    SSLEngine engine = forging.createSSLEngine(connectHost, 443);
    engine.setUseClientMode(false);
    return engine;
  }

  private static List<List<?>> sans(SSLSession session) throws Exception {
    Collection<List<?>> sans = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectAlternativeNames();
    return List.copyOf(sans);
  }
}
