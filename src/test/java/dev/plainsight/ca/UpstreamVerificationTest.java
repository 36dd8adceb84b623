package dev.plainsight.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.EngineHandshake;
import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.TestPki.ServerIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream side: real handshakes (in-memory engines) from {@link TlsContexts#upstreamEngine}
 * to origin servers with test certificates, and the reasons recorded when one is refused.
 */
class UpstreamVerificationTest {
  @TempDir static Path dir;
  static TestPki originCa;
  static Path originCaPem;

  @BeforeAll
  static void setUp() {
    originCa = TestPki.create("Origin CA");
    originCaPem = originCa.writeCaPem(dir);
  }

  @Test
  void serverWithACertificateFromAnExtraCaIsAccepted() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(originCaPem), recorder);

    SSLSession session = handshake(upstream, "origin.example", 8443, originCa.issue("origin.example"));

    assertEquals("CN=origin.example", ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName());
    assertEquals(Optional.empty(), recorder.take("origin.example:8443"));
  }

  @Test
  void serverForAnIpIsAcceptedWhenItsCertificateListsThatIp() throws Exception {
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(originCaPem), new UpstreamFailureRecorder());

    handshake(upstream, "127.0.0.1", 8443, originCa.issue("localhost", "127.0.0.1"));
  }

  @Test
  void certificateForAnotherHostIsRefusedNamingWhatItCovers() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(originCaPem), recorder);

    assertThrows(SSLHandshakeException.class,
        () -> handshake(upstream, "127.0.0.1", 8443, originCa.issue("wrong.example")));

    assertEquals(Optional.of("certificate for wrong.example does not match 127.0.0.1"), recorder.take("127.0.0.1:8443"));
  }

  @Test
  void certificateForAnotherNameListsAllItsNames() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(originCaPem), recorder);

    assertThrows(SSLHandshakeException.class,
        () -> handshake(upstream, "shop.example", 443, originCa.issue("wrong.example", "www.wrong.example", "10.0.0.9")));

    assertEquals(Optional.of("certificate for wrong.example, www.wrong.example, 10.0.0.9 does not match shop.example"),
        recorder.take("shop.example:443"));
  }

  @Test
  void certificateFromAnUnknownCaIsRefusedNamingThatCa() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(originCaPem), recorder);
    ServerIdentity stranger = TestPki.create("Stranger CA").issue("origin.example");

    assertThrows(SSLHandshakeException.class, () -> handshake(upstream, "origin.example", 443, stranger));

    assertEquals(Optional.of("unknown issuer: the certificate for origin.example is signed by CN=Stranger CA,"
        + " which is not a trusted CA"), recorder.take("origin.example:443"));
  }

  @Test
  void leafAloneFromAnUnknownCaSuggestsAMissingIntermediate() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(), recorder);
    ServerIdentity full = TestPki.create("Stranger CA").issue("origin.example");
    ServerIdentity leafOnly = new ServerIdentity(full.key(), new X509Certificate[] {full.certificate()});

    assertThrows(SSLHandshakeException.class, () -> handshake(upstream, "origin.example", 443, leafOnly));

    assertEquals(Optional.of("unknown issuer: the certificate for origin.example is signed by CN=Stranger CA,"
        + " which is not a trusted CA (or the server did not send its intermediate certificate)"),
        recorder.take("origin.example:443"));
  }

  @Test
  void selfSignedCertificateIsRefusedAsSelfSigned() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(originCaPem), recorder);

    assertThrows(SSLHandshakeException.class,
        () -> handshake(upstream, "self.example", 443, TestPki.selfSigned("self.example")));

    assertEquals(Optional.of("self-signed certificate CN=self.example: no trusted CA vouches for it"),
        recorder.take("self.example:443"));
  }

  @Test
  void expiredCertificateIsRefusedWithItsExpiryDate() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(originCaPem), recorder);
    ServerIdentity expired = originCa.issueExpired("old.example");
    LocalDate day = LocalDate.ofInstant(expired.certificate().getNotAfter().toInstant(), ZoneOffset.UTC);

    assertThrows(SSLHandshakeException.class, () -> handshake(upstream, "old.example", 443, expired));

    assertEquals(Optional.of("certificate for old.example expired on " + day), recorder.take("old.example:443"));
  }

  @Test
  void onePemFileMayHoldSeveralCas() throws Exception {
    TestPki second = TestPki.create("Second CA");
    Path bundle = Files.writeString(dir.resolve("bundle.pem"), originCa.caCertificatePem() + second.caCertificatePem());
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(bundle), new UpstreamFailureRecorder());

    handshake(upstream, "one.example", 443, originCa.issue("one.example"));
    handshake(upstream, "two.example", 443, second.issue("two.example"));
  }

  @Test
  void extraCasAreAddedToTheJdkOnesNotInsteadOfThem() throws Exception {
    int jdk = TlsContexts.trustManager(List.of()).getAcceptedIssuers().length;

    X509Certificate[] trusted = TlsContexts.trustManager(List.of(originCaPem)).getAcceptedIssuers();

    assertTrue(jdk > 50, "the JDK should trust public CAs, found " + jdk);
    assertEquals(jdk + 1, trusted.length);
    assertTrue(List.of(trusted).contains(originCa.caCertificate()));
  }

  @Test
  void withoutExtraCasATestCaIsNotTrusted() throws Exception {
    UpstreamFailureRecorder recorder = new UpstreamFailureRecorder();
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(), recorder);

    assertThrows(SSLHandshakeException.class, () -> handshake(upstream, "origin.example", 443, originCa.issue("origin.example")));
    assertTrue(recorder.take("origin.example:443").orElseThrow().startsWith("unknown issuer: "));
  }

  @Test
  void missingOrEmptyExtraCaFilesAreReportedByName() throws Exception {
    Path missing = dir.resolve("nope.pem");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

    CaException gone = assertThrows(CaException.class,
        () -> TlsContexts.upstreamClientContext(List.of(missing), new UpstreamFailureRecorder()));
    CaException blank = assertThrows(CaException.class,
        () -> TlsContexts.upstreamClientContext(List.of(empty), new UpstreamFailureRecorder()));

    assertTrue(gone.getMessage().startsWith(missing + " does not exist"), gone.getMessage());
    assertTrue(blank.getMessage().startsWith(empty + " holds no PEM certificate"), blank.getMessage());
  }

  @Test
  void upstreamEngineChecksHostNamesSendsSniForNamesOnlyAndOffersNoAlpn() throws Exception {
    SSLContext upstream = TlsContexts.upstreamClientContext(List.of(), new UpstreamFailureRecorder());

    SSLEngine named = TlsContexts.upstreamEngine(upstream, "Shop.Example", 443);
    SSLEngine ip = TlsContexts.upstreamEngine(upstream, "192.0.2.1", 443);
    SSLEngine ipv6 = TlsContexts.upstreamEngine(upstream, "2001:db8::1", 443);

    SSLParameters p = named.getSSLParameters();
    assertTrue(named.getUseClientMode());
    assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
    assertEquals(List.of(new SNIHostName("shop.example")), p.getServerNames());
    assertArrayEquals(new String[0], p.getApplicationProtocols());
    assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(p.getProtocols()));
    assertEquals(List.of(), ip.getSSLParameters().getServerNames());
    assertEquals(List.of(), ipv6.getSSLParameters().getServerNames());
    assertEquals("HTTPS", ip.getSSLParameters().getEndpointIdentificationAlgorithm());
    assertEquals(List.of(), TlsContexts.upstreamEngine(upstream, null, -1).getSSLParameters().getServerNames());
  }

  private static SSLSession handshake(SSLContext upstream, String host, int port, ServerIdentity origin)
      throws Exception {
    SSLEngine client = TlsContexts.upstreamEngine(upstream, host, port);
    SSLEngine server = origin.serverContext().createSSLEngine();
    server.setUseClientMode(false);
    return EngineHandshake.run(client, server);
  }
}
