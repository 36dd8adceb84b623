package dev.plainsight.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.tls.ServerHello;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The words the lesson is told in, for the cases the truth table's real sockets do not reach:
 * every stored alert form, and key exchanges this machine's TLS stacks no longer negotiate.
 */
class LessonWordsTest {
  @Test
  void aPlaintextAlertIsAnAlertSentInClear() {
    Refusal refusal = Refusal.parse("unknown_ca (48)");
    assertTrue(refusal.sentAlert());
    assertEquals("unknown_ca", refusal.alert());
    assertEquals(48, refusal.code());
    assertFalse(refusal.encrypted());
    assertTrue(refusal.sentence().startsWith("sent the alert unknown_ca (48), in clear"));
  }

  @Test
  void anAlertNamedByTheEngineIsAnAlertSentEncryptedNeverANoAlert() {
    Refusal refusal = Refusal.parse("certificate_unknown (46, sent encrypted)");
    assertTrue(refusal.sentAlert());
    assertEquals(46, refusal.code());
    assertTrue(refusal.encrypted());
    assertFalse(refusal.sentence().contains("without"), refusal.sentence());
    Refusal unnumbered = Refusal.parse("some_new_alert (sent encrypted)");
    assertTrue(unnumbered.sentAlert() && unnumbered.encrypted());
    assertNull(unnumbered.code());
  }

  @Test
  void aBareCloseIsNoAlertAtAll() {
    Refusal refusal = Refusal.parse("closed without alert");
    assertFalse(refusal.sentAlert());
    assertNull(refusal.alert());
    assertEquals("closed the connection without sending an alert", refusal.sentence());
  }

  @Test
  void anRsaKeyTransportHandshakeIsTheClassicStoryWithoutForwardSecrecy() {
    String story = KeyExchangeStep.story(hello("TLS 1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256", null));
    assertTrue(story.startsWith("This handshake did exactly that (TLS 1.2, TLS_RSA_WITH_AES_128_GCM_SHA256)"), story);
    assertTrue(story.contains("no forward secrecy"), story);
  }

  @Test
  void aHybridPostQuantumExchangeIsNamedAsSuch() {
    String story = KeyExchangeStep.story(hello("TLS 1.3", "TLS_AES_128_GCM_SHA256", "X25519MLKEM768"));
    assertTrue(story.startsWith("This handshake did not (TLS 1.3, TLS_AES_128_GCM_SHA256)"), story);
    assertTrue(story.contains("X25519MLKEM768") && story.contains("ML-KEM-768")
        && story.contains("CertificateVerify") && story.contains("Forward secrecy"), story);
  }

  @Test
  void aTls12EcdheExchangeSaysWhereItsGroupIsNamed() {
    String story = KeyExchangeStep.story(
        hello("TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", null));
    assertTrue(story.contains("ServerKeyExchange") && story.contains("did not"), story);
  }

  private static ServerHello hello(String version, String suite, String group) {
    return new ServerHello(version, "00", suite, 0, group, false, null, List.of());
  }
}
