package dev.plainsight.tls;

import static dev.plainsight.tls.Direction.SERVER_TO_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server flights recorded from openssl s_server (see resources/tls/README.md). */
class ServerFlightTest {

  @Test
  void tls12FlightShowsServerHelloChainAndTheEcdheGroupInClear() {
    TlsObservation seen =
        TlsFixtures.observe(SERVER_TO_CLIENT, TlsFixtures.bytes("server-flight-tls12.bin"));
    ServerHello hello = seen.serverHello();
    assertEquals("TLS 1.2", hello.version());
    assertEquals("TLS 1.2", seen.negotiatedVersionName());
    assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", hello.cipherSuite());
    assertEquals(0xc02c, hello.cipherSuiteId());
    assertEquals("http/1.1", hello.alpn());
    assertEquals("x25519", hello.keyShareGroup(), "from ServerKeyExchange");
    assertFalse(hello.helloRetryRequest());
    assertTrue(hello.extensionTypes().contains(0xff01));
    assertEquals(4, seen.serverRecords());
    assertEquals(List.of(), seen.notes());
  }

  @Test
  void tls12FlightCarriesTheLeafAndTheCaThatSignedIt() {
    List<CertificateInfo> chain =
        TlsFixtures.observe(SERVER_TO_CLIENT, TlsFixtures.bytes("server-flight-tls12.bin"))
            .serverCertificates();
    assertEquals(2, chain.size());
    CertificateInfo leaf = chain.get(0);
    assertEquals("CN=plainsight.test,O=Plainsight", leaf.subject());
    assertEquals("CN=Plainsight Test CA,O=Plainsight", leaf.issuer());
    assertEquals(List.of("DNS:plainsight.test", "IP:127.0.0.1"), leaf.subjectAltNames());
    assertTrue(leaf.notBefore().isBefore(leaf.notAfter()));
    assertTrue(leaf.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    assertFalse(leaf.selfIssued());
    CertificateInfo ca = chain.get(1);
    assertEquals("CN=Plainsight Test CA,O=Plainsight", ca.subject());
    assertTrue(ca.selfIssued());
    assertEquals(List.of(), ca.subjectAltNames());
  }

  @Test
  void fingerprintIsTheSha256OfTheLeafDer() throws Exception {
    byte[] handshake = TlsFixtures.payloads(TlsFixtures.bytes("server-flight-tls12.bin"));
    ByteCursor in = ByteCursor.of(handshake);
    in.u8("ServerHello type");
    in.skip(in.u24("ServerHello length"), "ServerHello");
    in.skip(4 + 3, "Certificate header and list length");
    byte[] der = in.bytes(in.u24("leaf length"), "leaf");
    String expected = HexFormat.ofDelimiter(":").withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    CertificateInfo leaf =
        TlsFixtures.observe(SERVER_TO_CLIENT, TlsFixtures.bytes("server-flight-tls12.bin"))
            .serverCertificates().get(0);
    assertEquals(expected, leaf.sha256Fingerprint());
  }

  @Test
  void tls13FlightShowsOnlyTheServerHelloAndHidesTheCertificate() {
    TlsObserver observer = new TlsObserver();
    byte[] flight = TlsFixtures.bytes("server-flight-tls13.bin");
    observer.onBytes(SERVER_TO_CLIENT, flight, 0, flight.length, TlsFixtures.START);
    TlsObservation seen = observer.snapshot();
    ServerHello hello = seen.serverHello();
    assertEquals("TLS 1.3", hello.version());
    assertEquals("TLS_AES_256_GCM_SHA384", hello.cipherSuite());
    assertEquals("x25519", hello.keyShareGroup());
    assertNull(hello.alpn(), "the chosen ALPN is in EncryptedExtensions");
    assertEquals(List.of(43, 51), hello.extensionTypes());
    assertEquals(List.of(), seen.serverCertificates());
    assertTrue(seen.sawChangeCipherSpec());
    assertTrue(observer.encrypted(SERVER_TO_CLIENT));
    assertEquals(List.of("handshake", "change_cipher_spec", "application_data",
            "application_data", "application_data", "application_data"),
        seen.ladder().stream().map(RecordEntry::contentType).toList());
    assertEquals(List.of(), seen.notes());
  }
}
