package dev.plainsight.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsNamesTest {

  @Test
  void greaseValuesAreTheSixteenRfc8701CodePoints() {
    int count = 0;
    for (int v = 0; v <= 0xffff; v++) {
      if (TlsNames.isGrease(v)) {
        count++;
        assertEquals(0x0a, v & 0x0f);
        assertEquals(v >> 8, v & 0xff);
      }
    }
    assertEquals(16, count);
    assertTrue(TlsNames.isGrease(0x0a0a));
    assertTrue(TlsNames.isGrease(0xfafa));
    assertFalse(TlsNames.isGrease(0x0a1a));
    assertEquals("GREASE(0x2a2a)", TlsNames.group(0x2a2a));
  }

  @Test
  void unknownCodePointsComeBackAsHex() {
    assertEquals("0x1306", TlsNames.cipherSuite(0x1306));
    assertEquals("0xabcd", TlsNames.group(0xabcd));
    assertEquals("0x0305", TlsNames.version(0x0305));
    assertEquals("unknown(200)", TlsNames.alert(200));
    assertEquals("unknown(99)", TlsNames.contentType(99));
    assertEquals("unknown(3)", TlsNames.alertLevel(3));
  }

  @Test
  void postQuantumAndClassicGroupsAreNamed() {
    assertEquals("X25519MLKEM768", TlsNames.group(0x11ec));
    assertEquals("SecP256r1MLKEM768", TlsNames.group(0x11eb));
    assertEquals("X25519Kyber768Draft00", TlsNames.group(0x6399));
    assertEquals("x25519", TlsNames.group(29));
    assertEquals("secp521r1", TlsNames.group(25));
    assertEquals("ffdhe8192", TlsNames.group(0x0104));
    assertEquals("encrypted_client_hello", TlsNames.extension(0xfe0d));
  }

  @Test
  void versionsAndContentTypesAreNamed() {
    assertEquals("TLS 1.3", TlsNames.version(0x0304));
    assertEquals("TLS 1.0", TlsNames.version(0x0301));
    assertEquals("TLS 1.3 draft 28", TlsNames.version(0x7f1c));
    assertEquals("handshake", TlsNames.contentType(22));
    assertEquals("change_cipher_spec", TlsNames.contentType(20));
    assertEquals("heartbeat", TlsNames.contentType(24));
    assertEquals("ClientHello", TlsNames.handshakeType(1));
  }

  @Test
  void alertsAreNamedAsInRfc8446() {
    Map<Integer, String> expected = Map.ofEntries(
        Map.entry(0, "close_notify"), Map.entry(10, "unexpected_message"),
        Map.entry(20, "bad_record_mac"), Map.entry(40, "handshake_failure"),
        Map.entry(42, "bad_certificate"), Map.entry(44, "certificate_revoked"),
        Map.entry(45, "certificate_expired"), Map.entry(46, "certificate_unknown"),
        Map.entry(47, "illegal_parameter"), Map.entry(48, "unknown_ca"),
        Map.entry(49, "access_denied"), Map.entry(50, "decode_error"),
        Map.entry(51, "decrypt_error"), Map.entry(70, "protocol_version"),
        Map.entry(71, "insufficient_security"), Map.entry(80, "internal_error"),
        Map.entry(86, "inappropriate_fallback"), Map.entry(90, "user_canceled"),
        Map.entry(109, "missing_extension"), Map.entry(110, "unsupported_extension"),
        Map.entry(112, "unrecognized_name"), Map.entry(113, "bad_certificate_status_response"),
        Map.entry(115, "unknown_psk_identity"), Map.entry(116, "certificate_required"),
        Map.entry(120, "no_application_protocol"));
    expected.forEach((code, name) -> assertEquals(name, TlsNames.alert(code)));
  }

  @Test
  void cipherSuitesUseIanaNames() {
    assertEquals("TLS_AES_128_GCM_SHA256", TlsNames.cipherSuite(0x1301));
    assertEquals("TLS_CHACHA20_POLY1305_SHA256", TlsNames.cipherSuite(0x1303));
    assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TlsNames.cipherSuite(0xc02f));
    assertEquals("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TlsNames.cipherSuite(0xcca9));
    assertEquals("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", TlsNames.cipherSuite(0xc014));
    assertEquals("TLS_RSA_WITH_AES_128_CBC_SHA", TlsNames.cipherSuite(0x002f));
  }

  @Test
  void signatureSchemesAreNamed() {
    assertEquals("rsa_pss_rsae_sha256", TlsNames.signatureScheme(0x0804));
    assertEquals("ecdsa_secp256r1_sha256", TlsNames.signatureScheme(0x0403));
    assertEquals("ed25519", TlsNames.signatureScheme(0x0807));
    assertEquals("rsa_pkcs1_sha1", TlsNames.signatureScheme(0x0201));
  }
}
