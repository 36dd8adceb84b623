package dev.plainsight.tls;

import static dev.plainsight.tls.Direction.CLIENT_TO_SERVER;
import static dev.plainsight.tls.Direction.SERVER_TO_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.tls.TlsFixtures.Chunk;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole connections recorded through a relay between openssl/curl and openssl s_server. */
class ConversationTest {

  private static long bytes(List<Chunk> chunks, Direction dir) {
    return chunks.stream().filter(c -> c.direction() == dir).mapToLong(c -> c.data().length).sum();
  }

  @Test
  void tls12ShowsBothHellosAndTheChainThenOnlyRecordSizes() {
    List<Chunk> chunks = TlsFixtures.conversation("conversation-tls12.conv");
    TlsObservation seen = TlsFixtures.observeWhole(chunks);
    assertEquals("plainsight.test", seen.sni());
    assertEquals("TLS 1.2", seen.negotiatedVersionName());
    assertEquals(2, seen.serverCertificates().size());
    assertTrue(seen.sawChangeCipherSpec());
    assertEquals(bytes(chunks, CLIENT_TO_SERVER), seen.clientBytes());
    assertEquals(bytes(chunks, SERVER_TO_CLIENT), seen.serverBytes());
    assertEquals(6, seen.clientRecords());
    assertEquals(9, seen.serverRecords());
    assertEquals(15, seen.ladder().size());
  }

  @Test
  void tls12CloseNotifyAfterChangeCipherSpecIsEncryptedAndNotDecoded() {
    TlsObservation seen = TlsFixtures.observeWhole(TlsFixtures.conversation("conversation-tls12.conv"));
    assertEquals(List.of(), seen.alerts());
    assertNull(seen.firstClientAlert());
    RecordEntry last = seen.ladder().get(seen.ladder().size() - 1);
    assertEquals("alert", last.contentType());
    assertTrue(last.length() > 2);
    assertTrue(seen.notes().contains("client: encrypted alert (26 bytes): its description is hidden"),
        seen.notes().toString());
  }

  @Test
  void ladderRecordsDirectionTypeVersionLengthAndTime() {
    TlsObservation seen = TlsFixtures.observeWhole(TlsFixtures.conversation("conversation-tls12.conv"));
    RecordEntry first = seen.ladder().get(0);
    assertEquals(new RecordEntry(CLIENT_TO_SERVER, "handshake", 0x0301, 225, 0), first);
    assertEquals(SERVER_TO_CLIENT, seen.ladder().get(1).direction());
    assertEquals(0x0303, seen.ladder().get(1).version());
    assertTrue(seen.ladder().stream().anyMatch(r -> r.contentType().equals("change_cipher_spec")));
    long lastOffset = seen.ladder().get(seen.ladder().size() - 1).offsetMillis();
    assertTrue(lastOffset >= 900, "the client waited a second before closing: " + lastOffset);
  }

  @Test
  void tls13HidesTheCertificateAndEverythingAfterTheServerHello() {
    List<Chunk> chunks = TlsFixtures.conversation("conversation-tls13.conv");
    TlsObservation seen = TlsFixtures.observeWhole(chunks);
    assertEquals("TLS 1.3", seen.negotiatedVersionName());
    assertEquals(List.of(), seen.serverCertificates());
    assertEquals(List.of(), seen.alerts(), "TLS 1.3 alerts travel as application_data");
    assertEquals(List.of(), seen.notes());
    long handshakeRecords = seen.ladder().stream()
        .filter(r -> r.contentType().equals("handshake")).count();
    assertEquals(2, handshakeRecords, "only the two hellos are handshake records");
    assertEquals(bytes(chunks, SERVER_TO_CLIENT), seen.serverBytes());
  }

  @Test
  void helloRetryRequestIsRecognisedByItsRandom() {
    List<Chunk> chunks = TlsFixtures.conversation("conversation-hrr.conv");
    TlsObservation untilRetry = TlsFixtures.observeWhole(chunks.subList(0, 2));
    ServerHello retry = untilRetry.serverHello();
    assertTrue(retry.helloRetryRequest());
    assertEquals(ServerHelloParser.HRR_RANDOM, retry.random());
    assertEquals("secp384r1", retry.keyShareGroup(), "the group the server asks for");
    assertEquals("TLS 1.3", retry.version());
  }

  @Test
  void afterHelloRetryRequestTheSecondHellosAreReadDespiteCompatibilityChangeCipherSpecs() {
    TlsObservation seen = TlsFixtures.observeWhole(TlsFixtures.conversation("conversation-hrr.conv"));
    assertFalse(seen.serverHello().helloRetryRequest());
    assertEquals("secp384r1", seen.serverHello().keyShareGroup());
    assertEquals(List.of("x25519"), seen.clientHello().keyShareGroups(), "the first hello is kept");
    assertEquals(List.of(
        "client: second ClientHello after HelloRetryRequest offers key_share [secp384r1]",
        "server: HelloRetryRequest asked for key_share secp384r1 before this ServerHello"),
        seen.notes());
  }

  @Test
  void curlRefusingAnUnknownCaSendsAPlaintextUnknownCaAlertOverTls12() {
    TlsObservation seen =
        TlsFixtures.observeWhole(TlsFixtures.conversation("conversation-curl-refuses-tls12.conv"));
    AlertInfo alert = seen.firstClientAlert();
    assertEquals(new AlertInfo(CLIENT_TO_SERVER, "fatal", 48, "unknown_ca"), alert);
    assertFalse(seen.sawChangeCipherSpec());
    assertEquals(2, seen.serverCertificates().size());
  }

  @Test
  void alertRecordIsDecodedWithItsName() {
    byte[] alert = TlsFixtures.bytes("alert-unknown-ca.bin");
    assertEquals("15030300020230", HexFormat.of().formatHex(alert));
    TlsObservation fromServer = TlsFixtures.observe(SERVER_TO_CLIENT, alert);
    assertEquals(List.of(new AlertInfo(SERVER_TO_CLIENT, "fatal", 48, "unknown_ca")),
        fromServer.alerts());
    assertNull(fromServer.firstClientAlert());
    TlsObservation warning = TlsFixtures.observe(CLIENT_TO_SERVER, TlsFixtures.hex("1503030002012e"));
    assertEquals(new AlertInfo(CLIENT_TO_SERVER, "warning", 46, "certificate_unknown"),
        warning.firstClientAlert());
  }

  @Test
  void everyConversationGivesTheSameSnapshotFedOneByteAtATime() {
    for (String name : List.of("conversation-tls12.conv", "conversation-tls13.conv",
        "conversation-hrr.conv", "conversation-curl-refuses-tls12.conv")) {
      List<Chunk> chunks = TlsFixtures.conversation(name);
      assertEquals(TlsFixtures.observeWhole(chunks), TlsFixtures.observeByteAtATime(chunks), name);
    }
  }
}
