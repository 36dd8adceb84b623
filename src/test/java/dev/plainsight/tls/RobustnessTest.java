package dev.plainsight.tls;

import static dev.plainsight.tls.Direction.CLIENT_TO_SERVER;
import static dev.plainsight.tls.Direction.SERVER_TO_CLIENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Truncated, garbled, non-TLS and post-handshake input: notes, never exceptions. */
class RobustnessTest {

  private static boolean hasNote(TlsObservation seen, String fragment) {
    return seen.notes().stream().anyMatch(n -> n.contains(fragment));
  }

  @Test
  void truncatedClientHelloYieldsANoteAndNoHello() {
    byte[] full = TlsFixtures.bytes("client-hello-chromium.bin");
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, Arrays.copyOf(full, 900));
    assertNull(seen.clientHello());
    assertEquals(List.of("client: truncated ClientHello: 891 of " + (full.length - 9)
        + " bytes so far"), seen.notes());
    assertEquals(1, seen.clientRecords(), "the record header was seen");
  }

  @Test
  void clientHelloTruncatedAtEveryLengthNeverThrowsAndSaysWhatIsMissing() {
    byte[] full = TlsFixtures.bytes("client-hello-curl.bin");
    for (int cut = 1; cut < full.length; cut++) {
      TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, Arrays.copyOf(full, cut));
      assertNull(seen.clientHello(), "cut at " + cut);
      assertEquals(1, seen.notes().size(), "cut at " + cut + ": " + seen.notes());
      assertTrue(seen.notes().get(0).startsWith("client: "), seen.notes().get(0));
    }
  }

  @Test
  void clientHelloWhoseInnerLengthsLieIsReadAsFarAsPossible() {
    byte[] data = TlsFixtures.bytes("client-hello-openssl-tls13.bin").clone();
    int body = data.length - 9;
    // shrink the handshake length so the extensions run past the end of the message
    data[6] = 0;
    data[7] = (byte) ((body - 20) >> 8);
    data[8] = (byte) (body - 20);
    byte[] framed = TlsFixtures.record(22, 0x0301, Arrays.copyOfRange(data, 5, data.length - 20));
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, framed);
    assertNotNull(seen.clientHello());
    assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
        seen.clientHello().cipherSuites().stream().map(CipherSuite::name).toList());
    assertTrue(hasNote(seen, "malformed ClientHello"), seen.notes().toString());
  }

  @Test
  void garbledExtensionIsNotedAndTheOthersStillRead() {
    byte[] data = TlsFixtures.bytes("client-hello-curl.bin").clone();
    // server_name is the first extension: make its inner list length too large
    int sni = indexOf(data, "plainsight.test".getBytes(StandardCharsets.US_ASCII)) - 5;
    data[sni] = (byte) 0x7f;
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, data);
    assertNull(seen.clientHello().sni());
    assertEquals(List.of("h2", "http/1.1"), seen.clientHello().alpn());
    assertTrue(hasNote(seen, "malformed ClientHello extension server_name"), seen.notes().toString());
  }

  @Test
  void plainHttpIsNotTls() {
    byte[] get = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, get);
    assertEquals(List.of("client: not TLS: first byte 0x47; stopped reading this direction"),
        seen.notes());
    assertEquals(0, seen.clientRecords());
    assertEquals(get.length, seen.clientBytes());
  }

  @Test
  void desyncStopsParsingButBytesAreStillCounted() {
    byte[] alert = TlsFixtures.bytes("alert-unknown-ca.bin");
    byte[] oversized = TlsFixtures.hex("1703035000");
    TlsObserver observer = new TlsObserver();
    byte[] stream = TlsFixtures.concat(alert, oversized, alert);
    observer.onBytes(SERVER_TO_CLIENT, stream, 0, stream.length, 0);
    observer.onBytes(SERVER_TO_CLIENT, alert, 0, alert.length, 0);
    TlsObservation seen = observer.snapshot();
    assertEquals(List.of("server: lost sync after 1 records: record length 20480 is over "
        + "2^14+2048; stopped reading this direction"), seen.notes());
    assertEquals(1, seen.alerts().size());
    assertEquals(1, seen.serverRecords());
    assertEquals(stream.length + alert.length, seen.serverBytes());
  }

  @Test
  void unknownContentTypeMidStreamIsADesync() {
    byte[] stream = TlsFixtures.concat(TlsFixtures.bytes("alert-unknown-ca.bin"),
        TlsFixtures.hex("3003030001ff"));
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, stream);
    assertTrue(hasNote(seen, "lost sync after 1 records: content type 0x30"), seen.notes().toString());
  }

  @Test
  void applicationDataIsCountedButNeverParsed() {
    // an application_data record whose payload looks like a plaintext alert and ClientHello
    byte[] fake = TlsFixtures.concat(TlsFixtures.bytes("alert-unknown-ca.bin"),
        TlsFixtures.bytes("client-hello-curl.bin"));
    byte[] stream = TlsFixtures.concat(TlsFixtures.record(23, 0x0303, fake),
        TlsFixtures.record(23, 0x0303, new byte[16384]));
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, stream);
    assertNull(seen.clientHello());
    assertEquals(List.of(), seen.alerts());
    assertEquals(2, seen.clientRecords());
    assertEquals(stream.length, seen.clientBytes());
    assertEquals(List.of(), seen.notes());
  }

  @Test
  void handshakeRecordsAfterChangeCipherSpecAreNotParsed() {
    byte[] flight = TlsFixtures.bytes("server-flight-tls12.bin");
    byte[] stream = TlsFixtures.concat(TlsFixtures.hex("140303000101"), flight);
    TlsObserver observer = new TlsObserver();
    observer.onBytes(SERVER_TO_CLIENT, stream, 0, stream.length, 0);
    TlsObservation seen = observer.snapshot();
    assertTrue(observer.encrypted(SERVER_TO_CLIENT));
    assertNull(seen.serverHello());
    assertEquals(List.of(), seen.serverCertificates());
    assertEquals(5, seen.serverRecords());
  }

  @Test
  void encryptedAlertIsNotDecoded() {
    byte[] stream = TlsFixtures.concat(TlsFixtures.hex("140303000101"),
        TlsFixtures.record(21, 0x0303, new byte[26]));
    TlsObservation seen = TlsFixtures.observe(CLIENT_TO_SERVER, stream);
    assertEquals(List.of(), seen.alerts());
    assertTrue(hasNote(seen, "encrypted alert (26 bytes)"));
  }

  @Test
  void ladderStopsAtItsCapWhileCountsGoOn() {
    byte[] record = TlsFixtures.record(23, 0x0303, new byte[10]);
    TlsObserver observer = new TlsObserver(3);
    for (int i = 0; i < 10; i++) {
      observer.onBytes(CLIENT_TO_SERVER, record, 0, record.length, 1000 + i);
    }
    TlsObservation seen = observer.snapshot();
    assertEquals(3, seen.ladder().size());
    assertEquals(2, seen.ladder().get(2).offsetMillis());
    assertEquals(10, seen.clientRecords());
    assertEquals(150, seen.clientBytes());
    TlsObserver byDefault = new TlsObserver();
    for (int i = 0; i < 100; i++) {
      byDefault.onBytes(SERVER_TO_CLIENT, record, 0, record.length, 0);
    }
    assertEquals(TlsObserver.DEFAULT_LADDER_CAP, byDefault.snapshot().ladder().size());
  }

  @Test
  void badArgumentsAreNotedNotThrown() {
    TlsObserver observer = new TlsObserver(-5);
    byte[] data = new byte[4];
    observer.onBytes(null, data, 0, 4, 0);
    observer.onBytes(CLIENT_TO_SERVER, null, 0, 4, 0);
    observer.onBytes(CLIENT_TO_SERVER, data, 3, 4, 0);
    observer.onBytes(CLIENT_TO_SERVER, data, -1, 1, 0);
    observer.onBytes(CLIENT_TO_SERVER, data, 0, -1, 0);
    observer.onBytes(CLIENT_TO_SERVER, data, Integer.MAX_VALUE, 2, 0);
    observer.onBytes(CLIENT_TO_SERVER, (ByteBuffer) null, 0);
    observer.onBytes(CLIENT_TO_SERVER, data, 4, 0, 0);
    TlsObservation seen = observer.snapshot();
    assertEquals(7, seen.notes().size(), seen.notes().toString());
    assertEquals(0, seen.clientBytes());
  }

  @Test
  void inputArraysAreNeverModified() {
    for (TlsFixtures.Chunk chunk : TlsFixtures.conversation("conversation-tls12.conv")) {
      byte[] copy = chunk.data().clone();
      TlsObserver observer = new TlsObserver();
      observer.onBytes(chunk.direction(), chunk.data(), 0, chunk.data().length, 0);
      assertArrayEquals(copy, chunk.data());
    }
  }

  @Test
  void byteBuffersAreReadWithoutMovingTheirPosition() {
    byte[] hello = TlsFixtures.bytes("client-hello-curl.bin");
    ByteBuffer heap = ByteBuffer.wrap(TlsFixtures.concat(new byte[3], hello));
    heap.position(3);
    ByteBuffer direct = ByteBuffer.allocateDirect(hello.length).put(hello).flip();
    TlsObserver a = new TlsObserver();
    a.onBytes(CLIENT_TO_SERVER, heap, 0);
    TlsObserver b = new TlsObserver();
    b.onBytes(CLIENT_TO_SERVER, direct, 0);
    assertEquals(3, heap.position());
    assertEquals(0, direct.position());
    assertEquals("plainsight.test", a.snapshot().sni());
    assertEquals(a.snapshot(), b.snapshot());
  }

  @Test
  void snapshotsAreImmutableCopies() {
    TlsObserver observer = new TlsObserver();
    byte[] alert = TlsFixtures.bytes("alert-unknown-ca.bin");
    observer.onBytes(CLIENT_TO_SERVER, alert, 0, alert.length, 0);
    TlsObservation before = observer.snapshot();
    observer.onBytes(CLIENT_TO_SERVER, alert, 0, alert.length, 0);
    assertEquals(1, before.alerts().size());
    assertEquals(2, observer.snapshot().alerts().size());
    assertFalse(before.equals(observer.snapshot()));
    assertThrows(UnsupportedOperationException.class, () -> before.alerts().clear());
    assertThrows(UnsupportedOperationException.class, () -> before.ladder().clear());
  }

  /** What lets the store keep a keep-alive connection's ladder once (store.LadderTable). */
  @Test
  void snapshotsShareOneLadderListUntilTheLadderGrows() {
    byte[] record = TlsFixtures.record(23, 0x0303, new byte[10]);
    TlsObserver observer = new TlsObserver(2);
    observer.onBytes(CLIENT_TO_SERVER, record, 0, record.length, 0);
    TlsObservation one = observer.snapshot();
    assertSame(one.ladder(), observer.snapshot().ladder(), "nothing new");
    observer.onBytes(SERVER_TO_CLIENT, record, 0, record.length, 1);
    TlsObservation two = observer.snapshot();
    assertEquals(1, one.ladder().size());
    assertEquals(2, two.ladder().size());
    observer.onBytes(CLIENT_TO_SERVER, record, 0, record.length, 2);
    TlsObservation capped = observer.snapshot();
    assertSame(two.ladder(), capped.ladder(), "past the cap only the counts move");
    assertEquals(2, capped.clientRecords());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
