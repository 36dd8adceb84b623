package dev.plainsight.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.TestPki.ServerIdentity;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {
  @TempDir Path temp;

  @Test
  void issuedLeafCarriesDnsAndIpNamesAndIsSignedByTheCa() throws Exception {
    TestPki pki = TestPki.create("Origin CA");

    ServerIdentity server = pki.issue("localhost", "127.0.0.1", "::1");

    X509Certificate leaf = server.certificate();
    leaf.verify(pki.caCertificate().getPublicKey());
    leaf.checkValidity();
    assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
        List.copyOf(leaf.getSubjectAlternativeNames()));
    assertEquals(pki.caCertificate(), server.chain()[1]);
    assertEquals("CN=Origin CA", pki.caCertificate().getSubjectX500Principal().getName());
  }

  @Test
  void expiredLeafHasExpired() {
    ServerIdentity old = TestPki.create("Origin CA").issueExpired("old.example");

    assertThrows(CertificateExpiredException.class, () -> old.certificate().checkValidity());
  }

  @Test
  void selfSignedLeafIsItsOwnIssuer() throws Exception {
    ServerIdentity self = TestPki.selfSigned("self.example");

    assertEquals(1, self.chain().length);
    self.certificate().verify(self.certificate().getPublicKey());
  }

  @Test
  void caPemIsWrittenAsAReadableCertificate() throws Exception {
    TestPki pki = TestPki.create("Origin CA");

    Path pem = pki.writeCaPem(temp.resolve("cas"));

    assertEquals("origin-ca.pem", pem.getFileName().toString());
    try (InputStream in = Files.newInputStream(pem)) {
      assertEquals(pki.caCertificate(), CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
  }

  @Test
  void serverAndClientContextsShakeHandsOverLoopback() throws Exception {
    TestPki pki = TestPki.create("Origin CA");
    ServerIdentity server = pki.issue("localhost");

    assertEquals('!', roundTrip(server, pki, "localhost"));
    assertThrows(SSLHandshakeException.class,
        () -> roundTrip(server, TestPki.create("Other CA"), "localhost"));
  }

  private static int roundTrip(ServerIdentity server, TestPki trusted, String host) throws Exception {
    try (SSLServerSocket listener = (SSLServerSocket) server.serverContext().getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (SSLSocket accepted = (SSLSocket) listener.accept(); OutputStream out = accepted.getOutputStream()) {
          out.write('!');
        } catch (Exception e) {
          // the client sees the failure
        }
      });
      try (SSLSocket client = (SSLSocket) trusted.clientContextTrusting().getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
        client.setSSLParameters(parameters);
        client.setSoTimeout(5000);
        int read = client.getInputStream().read();
        served.join();
        return read;
      }
    }
  }
}
