package dev.plainsight.tls;

import static dev.plainsight.tls.Direction.CLIENT_TO_SERVER;
import static dev.plainsight.tls.Direction.SERVER_TO_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records and handshake messages arrive in any split: the observer sees the same thing. */
class ReassemblyTest {

  private static final List<String> ONE_WAY = List.of("client-hello-curl.bin",
      "client-hello-openssl-tls12.bin", "client-hello-openssl-tls13.bin",
      "client-hello-java17.bin", "client-hello-chromium.bin", "server-flight-tls12.bin",
      "server-flight-tls13.bin", "alert-unknown-ca.bin");

  private static Direction direction(String fixture) {
    return fixture.startsWith("server") ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
  }

  @Test
  void eachFixtureFedOneByteAtATimeGivesTheSameSnapshot() {
    for (String fixture : ONE_WAY) {
      List<TlsFixtures.Chunk> chunks =
          TlsFixtures.oneWay(direction(fixture), TlsFixtures.bytes(fixture));
      assertEquals(TlsFixtures.observeWhole(chunks), TlsFixtures.observeByteAtATime(chunks),
          fixture);
    }
  }

  @Test
  void clientHelloSplitAcrossTwoRecordsIsReassembled() {
    byte[] original = TlsFixtures.bytes("client-hello-chromium.bin");
    byte[] handshake = TlsFixtures.payloads(original);
    byte[] twoRecords = TlsFixtures.handshakeRecords(handshake, 0x0301, 1000);
    TlsObservation whole = TlsFixtures.observe(CLIENT_TO_SERVER, original);
    TlsObservation split = TlsFixtures.observe(CLIENT_TO_SERVER, twoRecords);
    assertEquals(2, split.clientRecords());
    assertEquals(whole.clientHello(), split.clientHello());
    assertEquals(List.of("X25519MLKEM768", "x25519"), split.clientHello().keyShareGroups());
    assertEquals(List.of(), split.notes());
  }

  @Test
  void clientHelloInTinyRecordsAndTinyChunksIsReassembled() {
    byte[] original = TlsFixtures.bytes("client-hello-java17.bin");
    byte[] tiny = TlsFixtures.handshakeRecords(TlsFixtures.payloads(original), 0x0301, 7);
    TlsObservation seen = TlsFixtures.observeChunked(
        TlsFixtures.oneWay(CLIENT_TO_SERVER, tiny), List.of(3, 1, 11, 2));
    assertEquals(TlsFixtures.observe(CLIENT_TO_SERVER, original).clientHello(), seen.clientHello());
  }

  @Test
  void oneRecordHoldingTheWholeServerFlightYieldsEveryMessage() {
    byte[] original = TlsFixtures.bytes("server-flight-tls12.bin");
    byte[] oneRecord =
        TlsFixtures.record(22, 0x0303, TlsFixtures.payloads(original));
    TlsObservation whole = TlsFixtures.observe(SERVER_TO_CLIENT, original);
    TlsObservation packed = TlsFixtures.observe(SERVER_TO_CLIENT, oneRecord);
    assertEquals(1, packed.serverRecords());
    assertEquals(whole.serverHello(), packed.serverHello());
    assertEquals(whole.serverCertificates(), packed.serverCertificates());
    assertEquals("x25519", packed.serverHello().keyShareGroup());
  }

  @Test
  void handshakeMessageOverTheReassemblyCapIsSkippedAndLaterMessagesStillRead() {
    byte[] huge = new byte[4 + 70_000];
    huge[0] = 11;
    huge[1] = (byte) (70_000 >> 16);
    huge[2] = (byte) (70_000 >> 8);
    huge[3] = (byte) 70_000;
    byte[] hello = TlsFixtures.payloads(TlsFixtures.bytes("server-flight-tls12.bin"));
    byte[] serverHello = Arrays.copyOf(hello, 4 + 80);
    byte[] stream = TlsFixtures.handshakeRecords(TlsFixtures.concat(huge, serverHello), 0x0303,
        16384);
    TlsObservation seen = TlsFixtures.observe(SERVER_TO_CLIENT, stream);
    assertTrue(seen.notes().contains(
        "server: Certificate of 70000 bytes is over the 64 KB reassembly cap: skipped"),
        seen.notes().toString());
    assertNotNull(seen.serverHello(), "the ServerHello after the skipped message");
    assertEquals(List.of(), seen.serverCertificates());
  }

  @Test
  void reassemblyMemoryStaysBoundedWhileSkipping() {
    HandshakeReassembler reassembler = new HandshakeReassembler();
    byte[] header = {11, 0x7f, (byte) 0xff, (byte) 0xff};
    reassembler.append(header, 0, 4);
    assertEquals(null, reassembler.next());
    byte[] junk = new byte[16384];
    for (int i = 0; i < 400; i++) {
      reassembler.append(junk, 0, junk.length);
      assertEquals(null, reassembler.next());
    }
    assertEquals(null, reassembler.pendingDescription());
  }
}
