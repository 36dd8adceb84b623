package dev.plainsight.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.ca.TlsContexts;
import dev.plainsight.ca.UpstreamFailureRecorder;
import dev.plainsight.testing.EngineHandshake;
import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.TestPki.ServerIdentity;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCounted;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's upstream engines on BoringSSL: real in-memory handshakes against origin engines
 * with test certificates. They must verify exactly as the JDK path does (chain and host name,
 * with the reason recorded) and resume sessions with a server they have met before.
 */
class UpstreamTlsTest {
  @TempDir static Path dir;
  static TestPki originCa;
  static Path originCaPem;

  @BeforeAll
  static void setUp() {
    originCa = TestPki.create("Origin CA");
    originCaPem = originCa.writeCaPem(dir);
  }

  @Test
  void upstreamTlsRunsOnBoringSsl() throws Exception {
    UpstreamTls tls = upstreamTls(new UpstreamFailureRecorder());

    assertEquals("BoringSSL", tls.implementation());
    assertTrue(tls.newEngine("origin.example", 443) instanceof ReferenceCountedOpenSslEngine);
  }

  @Test
  void serverWithTheRightNameAndATrustedChainIsAccepted() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();

    SSLSession session = handshake(upstreamTls(recorder).newEngine("origin.example", 8443),
        originCa.issue("origin.example").serverContext());

    assertEquals("CN=origin.example",
        ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName());
    assertEquals(Optional.empty(), recorder.take("origin.example:8443"));
  }

  @Test
  void certificateForAnotherHostIsRefusedWithTheReasonRecorded() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    UpstreamTls tls = upstreamTls(recorder);

    assertThrows(SSLException.class, () -> handshake(tls.newEngine("127.0.0.1", 8443),
        originCa.issue("wrong.example").serverContext()));

    assertEquals(Optional.of("certificate for wrong.example does not match 127.0.0.1"),
        recorder.take("127.0.0.1:8443"));
  }

  @Test
  void certificateFromAnUnknownCaIsRefused() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    UpstreamTls tls = upstreamTls(recorder);

    assertThrows(SSLException.class, () -> handshake(tls.newEngine("origin.example", 443),
        TestPki.create("Stranger CA").issue("origin.example").serverContext()));

    assertTrue(recorder.take("origin.example:443").orElseThrow().startsWith("unknown issuer"));
  }

  @Test
  void engineWithoutAHostCannotBeSatisfied() {
    UpstreamTls tls = upstreamTls(new UpstreamFailureRecorder());

    assertThrows(SSLException.class, () -> handshake(tls.newEngine(null, -1),
        originCa.issue("origin.example").serverContext()));
  }

  @Test
  void secondConnectionToTheSameServerResumesItsSession() throws Exception {
    UpstreamTls tls = upstreamTls(new UpstreamFailureRecorder());
    SSLContext origin = originCa.issue("origin.example").serverContext();

    ReferenceCountedOpenSslEngine first =
        (ReferenceCountedOpenSslEngine) tls.newEngine("origin.example", 9443);
    handshake(first, origin);
    ReferenceCountedOpenSslEngine second =
        (ReferenceCountedOpenSslEngine) tls.newEngine("origin.example", 9443);
    handshake(second, origin);

    assertFalse(SSL.isSessionReused(first.sslPointer()));
    assertTrue(SSL.isSessionReused(second.sslPointer()), "the second handshake should resume the first session");
    first.release();
    second.release();
  }

  @Test
  void observedEngineForwardsReleaseToItsBoringSslDelegate() {
    UpstreamTls tls = upstreamTls(new UpstreamFailureRecorder());
    SSLEngine engine = tls.newEngine("origin.example", 443);
    ObservedSslEngine observed = new ObservedSslEngine(engine,
        new dev.plainsight.tls.TlsObserver(), new UpstreamObservations(), null);

    assertEquals(1, observed.refCnt());
    assertTrue(observed.release());
    assertEquals(0, ((ReferenceCounted) engine).refCnt());
  }

  private static UpstreamTls upstreamTls(UpstreamFailureRecorder recorder) {
    try {
      X509ExtendedTrustManager trust = TlsContexts.upstreamTrustManager(List.of(originCaPem),
          recorder);
      return UpstreamTls.create(trust, TlsContexts.clientContext(trust));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static SSLSession handshake(SSLEngine client, SSLContext origin) throws Exception {
    SSLEngine server = origin.createSSLEngine();
    server.setUseClientMode(false);
    return EngineHandshake.run(client, server);
  }
}
