package dev.plainsight.tls;

import static dev.plainsight.tls.Direction.CLIENT_TO_SERVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ClientHellos recorded from real clients on this machine (see resources/tls/README.md). */
class ClientHelloFixturesTest {

  private static ClientHello hello(String fixture) {
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, TlsFixtures.bytes(fixture));
    assertEquals(List.of(), seen.notes(), fixture);
    assertNotNull(seen.clientHello(), fixture);
    assertEquals(1, seen.clientRecords());
    return seen.clientHello();
  }

  private static List<String> suiteNames(ClientHello hello) {
    return hello.cipherSuites().stream().map(CipherSuite::name).toList();
  }

  @Test
  void curlOffersTls13AndH2WithAnX25519KeyShare() {
    ClientHello hello = hello("client-hello-curl.bin");
    assertEquals("plainsight.test", hello.sni());
    assertEquals(List.of("h2", "http/1.1"), hello.alpn());
    assertEquals(List.of("TLS 1.3", "TLS 1.2", "TLS 1.1", "TLS 1.0"), hello.supportedVersions());
    assertEquals(List.of("x25519"), hello.keyShareGroups());
    assertEquals("TLS 1.2", hello.legacyVersion());
    assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256"), suiteNames(hello).subList(0, 3));
    assertTrue(suiteNames(hello).contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    assertEquals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", suiteNames(hello).get(30));
    assertTrue(hello.supportedGroups().containsAll(List.of("x25519", "secp256r1", "ffdhe2048")));
    assertTrue(hello.signatureAlgorithms().contains("rsa_pss_rsae_sha256"));
    assertTrue(hello.extensionNames().contains("padding"));
    assertEquals(64, hello.random().length());
    assertEquals(64, hello.sessionId().length());
    assertEquals(512 - 4, hello.length());
    assertFalse(hello.greaseSeen());
    assertFalse(hello.echOffered());
  }

  @Test
  void opensslTls12OffersNoSupportedVersionsAndNoKeyShare() {
    ClientHello hello = hello("client-hello-openssl-tls12.bin");
    assertEquals("plainsight.test", hello.sni());
    assertEquals(List.of("http/1.1"), hello.alpn());
    assertEquals(List.of(), hello.supportedVersions());
    assertEquals(List.of(), hello.keyShareGroups());
    assertEquals("", hello.sessionId());
    assertFalse(suiteNames(hello).contains("TLS_AES_128_GCM_SHA256"));
    assertEquals("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", suiteNames(hello).get(0));
    assertEquals(List.of("x25519", "secp256r1", "x448", "secp521r1", "secp384r1"),
        hello.supportedGroups());
  }

  @Test
  void opensslTls13OffersOnlyTls13SuitesAndVersion() {
    ClientHello hello = hello("client-hello-openssl-tls13.bin");
    assertEquals(List.of("TLS 1.3"), hello.supportedVersions());
    assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"), suiteNames(hello));
    assertEquals(List.of(), hello.alpn());
    assertEquals(List.of("x25519"), hello.keyShareGroups());
  }

  @Test
  void javaHttpClientSendsTwoKeySharesAndSignatureAlgorithmsCert() {
    ClientHello hello = hello("client-hello-java17.bin");
    assertEquals("plainsight.test", hello.sni());
    assertEquals(List.of("h2", "http/1.1"), hello.alpn());
    assertEquals(List.of("TLS 1.3", "TLS 1.2"), hello.supportedVersions());
    assertEquals(List.of("x25519", "secp256r1"), hello.keyShareGroups());
    assertTrue(hello.extensionNames().contains("signature_algorithms_cert"));
    assertTrue(hello.extensionNames().contains("status_request_v2"));
    assertTrue(suiteNames(hello).contains("TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"));
    assertFalse(hello.greaseSeen());
  }

  @Test
  void chromiumSendsGreaseGreaseEchAndAPostQuantumKeyShareOfAlmostTwoKilobytes() {
    byte[] data = TlsFixtures.bytes("client-hello-chromium.bin");
    assertTrue(data.length > 1700, "a hybrid key share makes the hello large");
    ClientHello hello = hello("client-hello-chromium.bin");
    assertEquals("plainsight.test", hello.sni());
    assertEquals(List.of("h2", "http/1.1"), hello.alpn());
    assertEquals(List.of("TLS 1.3", "TLS 1.2"), hello.supportedVersions());
    assertEquals(List.of("X25519MLKEM768", "x25519"), hello.keyShareGroups());
    assertEquals(List.of("X25519MLKEM768", "x25519", "secp256r1", "secp384r1"),
        hello.supportedGroups());
    assertTrue(hello.greaseSeen());
    assertTrue(hello.echOffered());
    assertTrue(hello.extensionTypes().contains(0xfe0d));
    assertTrue(hello.extensionTypes().stream().noneMatch(TlsNames::isGrease));
    assertTrue(hello.cipherSuites().stream().noneMatch(s -> TlsNames.isGrease(s.id())));
    assertTrue(suiteNames(hello).stream().noneMatch(n -> n.startsWith("0x")), "all suites named");
    assertEquals(data.length - 9, hello.length());
  }

  @Test
  void everyRecordedClientNamesAllItsSuitesGroupsAndSchemes() {
    for (String fixture : List.of("client-hello-curl.bin", "client-hello-openssl-tls12.bin",
        "client-hello-openssl-tls13.bin", "client-hello-java17.bin", "client-hello-chromium.bin")) {
      ClientHello hello = hello(fixture);
      assertTrue(suiteNames(hello).stream().noneMatch(n -> n.startsWith("0x")), fixture);
      assertTrue(hello.supportedGroups().stream().noneMatch(n -> n.startsWith("0x")), fixture);
      assertTrue(hello.signatureAlgorithms().stream().noneMatch(n -> n.startsWith("0x")), fixture);
      assertTrue(hello.extensionNames().stream().noneMatch(n -> n.startsWith("0x")), fixture);
    }
  }

  @Test
  void aClientHelloAloneLeavesTheServerSideEmpty() {
    TlsObservation seen =
        TlsFixtures.observe(CLIENT_TO_SERVER, TlsFixtures.bytes("client-hello-curl.bin"));
    assertNull(seen.serverHello());
    assertNull(seen.negotiatedVersionName());
    assertEquals(517, seen.clientBytes());
    assertEquals(0, seen.serverRecords());
    assertEquals(List.of(new RecordEntry(CLIENT_TO_SERVER, "handshake", 0x0301, 512, 0)),
        seen.ladder());
  }
}
