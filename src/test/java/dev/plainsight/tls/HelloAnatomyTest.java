package dev.plainsight.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The byte view of recorded hellos (curl, OpenSSL TLS 1.2 and 1.3, Java 17, Chromium with GREASE,
 * ECH and X25519MLKEM768, and two browsers from the JA4 repository): the leaves tile the record,
 * the SNI leaf holds the name sent, suites and extensions carry IANA names, GREASE is marked.
 */
class HelloAnatomyTest {

  private static final List<String> CLIENT_FIXTURES = List.of("client-hello-curl.bin",
      "client-hello-openssl-tls12.bin", "client-hello-openssl-tls13.bin",
      "client-hello-java17.bin", "client-hello-chromium.bin");

  static HelloRecord observedClientHello(byte[] stream) {
    TlsObserver observer = new TlsObserver();
    observer.onBytes(Direction.CLIENT_TO_SERVER, stream, 0, stream.length, 0);
    return observer.snapshot().clientHelloRecord();
  }

  @ParameterizedTest
  @ValueSource(strings = {"client-hello-curl.bin", "client-hello-openssl-tls12.bin",
      "client-hello-openssl-tls13.bin", "client-hello-java17.bin", "client-hello-chromium.bin"})
  void aRecordedClientHelloTilesAndNamesItsServer(String fixture) {
    byte[] stream = TlsFixtures.bytes(fixture);
    HelloRecord record = observedClientHello(stream);
    assertNotNull(record, fixture);
    assertNull(record.header(), "one hello in one record keeps the header from the wire");
    assertEquals(Arrays.toString(stream), Arrays.toString(record.bytes()),
        "the record is the bytes the client sent");
    List<HelloField> tree = HelloAnatomy.of(record.bytes(), record.header());
    assertTiles(tree, record.bytes().length);
    assertEquals("plainsight.test", leaf(tree, "server name").value());
    assertTrue(leaves(tree).stream().noneMatch(f -> f.name().startsWith("truncated")), fixture);
  }

  @Test
  void chromiumsGreaseEchAndPostQuantumShareAreNamed() {
    HelloRecord record = observedClientHello(TlsFixtures.bytes("client-hello-chromium.bin"));
    List<HelloField> leaves = leaves(HelloAnatomy.of(record.bytes(), null));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("cipher suite")
        && f.value().contains("GREASE") && f.about().contains("RFC 8701")));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("extension type")
        && f.value().contains("encrypted_client_hello")));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("group")
        && f.value().equals("0x11ec X25519MLKEM768")));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("cipher suite")
        && f.value().equals("0x1301 TLS_AES_128_GCM_SHA256")));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("protocol")
        && f.value().equals("h2")));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("ECH type")
        && f.value().equals("0 outer")));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("encrypted inner ClientHello")));
    assertTrue(leaves.stream().anyMatch(f -> f.name().equals("extension type")
        && f.value().contains("GREASE") && f.about().contains("RFC 8701")));
  }

  @Test
  void aServerHelloSharingItsRecordIsShownAloneWithASynthesizedHeader() {
    byte[] flight = TlsFixtures.bytes("server-flight-tls12.bin");
    int first = 5 + (((flight[3] & 0xff) << 8) | (flight[4] & 0xff));
    int second = ((flight[first + 3] & 0xff) << 8) | (flight[first + 4] & 0xff);
    byte[] merged = new byte[flight.length - 5];
    System.arraycopy(flight, 0, merged, 0, first);
    System.arraycopy(flight, first + 5, merged, first, flight.length - first - 5);
    int length = first - 5 + second;
    merged[3] = (byte) (length >> 8);
    merged[4] = (byte) length;
    TlsObserver observer = new TlsObserver();
    observer.onBytes(Direction.SERVER_TO_CLIENT, merged, 0, merged.length, 0);
    TlsObservation seen = observer.snapshot();
    HelloRecord record = seen.serverHelloRecord();
    assertEquals("synthesized: on the wire this ServerHello shared a record of " + length
        + " bytes with other handshake messages", record.header());
    assertEquals(Arrays.toString(Arrays.copyOf(flight, first)), Arrays.toString(record.bytes()),
        "the ServerHello alone, as it was in its own record");
    assertTiles(HelloAnatomy.of(record.bytes(), record.header()), first);
    assertFalse(seen.serverCertificates().isEmpty(), "the Certificate in the same record is read");
  }

  @Test
  void theJa4RepositoryBrowsersTile() {
    for (String name : List.of("ja4-repo-tls12-pcap-firefox.hex",
        "ja4-repo-tls-sni-pcapng-chrome.hex")) {
      byte[] record = FingerprintsTest.hexFixture(name);
      List<HelloField> tree = HelloAnatomy.of(record, null);
      assertTiles(tree, record.length);
      assertNotNull(leaf(tree, "server name"), name);
    }
  }

  @Test
  void aHelloSplitOverTwoRecordsGetsASynthesizedHeaderAndStillTiles() {
    byte[] one = TlsFixtures.bytes("client-hello-java17.bin");
    int cut = 100;
    byte[] two = new byte[one.length + 5];
    System.arraycopy(one, 0, two, 0, 5 + cut);
    two[3] = 0;
    two[4] = (byte) cut;
    byte[] second = {22, 3, 3, (byte) ((one.length - 5 - cut) >> 8), (byte) (one.length - 5 - cut)};
    System.arraycopy(second, 0, two, 5 + cut, 5);
    System.arraycopy(one, 5 + cut, two, 10 + cut, one.length - 5 - cut);
    HelloRecord record = observedClientHello(two);
    assertEquals("synthesized: on the wire this ClientHello spanned 2 records", record.header());
    assertEquals(Arrays.toString(one), Arrays.toString(record.bytes()));
    List<HelloField> tree = HelloAnatomy.of(record.bytes(), record.header());
    assertTiles(tree, one.length);
    assertEquals(record.header(), leaf(tree, "record length").about());
  }

  @Test
  void aHostileServerNameIsShownEscapedAndCapped() {
    String hostile = "<img src=x onerror=alert(1)>\u0007\\" + "a".repeat(400);
    byte[] record = FingerprintsTest.hello(0x0303, List.of(0x1301),
        List.of(FingerprintsTest.ext(0, FingerprintsTest.serverName(hostile))));
    List<HelloField> tree = HelloAnatomy.of(record, null);
    assertTiles(tree, record.length);
    String shown = leaf(tree, "server name").value();
    assertTrue(shown.startsWith("<img src=x onerror=alert(1)>\\x07\\x5caaa"), shown);
    assertTrue(shown.length() <= 255 + 3, shown.length() + " characters");
  }

  @Test
  void aHugeClientHelloKeepsItsFirst16KibAndStillTiles() {
    byte[] record = FingerprintsTest.hello(0x0303, List.of(0x1301),
        List.of(FingerprintsTest.ext(0, FingerprintsTest.serverName("big.example")),
            FingerprintsTest.ext(21, new byte[20_000])));
    byte[] message = Arrays.copyOfRange(record, 5, record.length);
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    for (int at = 0; at < message.length; at += 16_000) {
      int n = Math.min(16_000, message.length - at);
      wire.writeBytes(new byte[] {22, 3, 1, (byte) (n >> 8), (byte) n});
      wire.write(message, at, n);
    }
    HelloRecord kept = observedClientHello(wire.toByteArray());
    assertEquals(HelloRecord.MAX_BYTES, kept.bytes().length);
    assertEquals("synthesized: on the wire this ClientHello spanned 2 records; only the first "
        + "16384 bytes were kept", kept.header());
    HelloAnatomy.Tree tree = HelloAnatomy.read(kept.bytes(), kept.header());
    assertTiles(tree.fields(), HelloRecord.MAX_BYTES);
    assertEquals("big.example", leaf(tree.fields(), "server name").value());
    assertTrue(tree.problem().startsWith("truncated"), tree.problem());
  }

  @Test
  void theServerHelloOfEachRecordedFlightTiles() {
    for (String name : List.of("server-flight-tls12.bin", "server-flight-tls13.bin")) {
      byte[] flight = TlsFixtures.bytes(name);
      TlsObserver observer = new TlsObserver();
      observer.onBytes(Direction.SERVER_TO_CLIENT, flight, 0, flight.length, 0);
      HelloRecord record = observer.snapshot().serverHelloRecord();
      assertNotNull(record, name);
      List<HelloField> tree = HelloAnatomy.of(record.bytes(), record.header());
      assertTiles(tree, record.bytes().length);
      assertTrue(leaf(tree, "cipher suite").value().startsWith("0x"), name);
      assertTrue(leaves(tree).stream().noneMatch(f -> f.name().startsWith("truncated")), name);
    }
  }

  @Test
  void everyTruncationOfAHelloTilesWithTheRestNamedForWhatWentWrong() {
    byte[] chromium = TlsFixtures.bytes("client-hello-chromium.bin");
    assertNull(HelloAnatomy.read(chromium, null).problem());
    for (int n = 0; n < chromium.length; n++) {
      byte[] cut = Arrays.copyOf(chromium, n);
      HelloAnatomy.Tree tree = HelloAnatomy.read(cut, null);
      assertTiles(tree.fields(), n);
      assertNotNull(tree.problem(), n + " bytes");
      assertTrue(tree.problem().startsWith("truncated"), tree.problem());
      List<HelloField> leaves = leaves(tree.fields());
      HelloField last = leaves.isEmpty() ? null : leaves.get(leaves.size() - 1);
      assertTrue(last == null || last.name().equals(tree.problem())
          || last.offset() + last.length() == n && !last.name().startsWith("truncated"),
          n + " bytes: " + last);
    }
  }

  @Test
  void aLyingExtensionLengthIsNamedAndTheRestStillTiles() {
    byte[] hello = TlsFixtures.bytes("client-hello-curl.bin").clone();
    HelloField sniLength = leaf(HelloAnatomy.of(hello, null), "server_name length");
    hello[sniLength.offset()] = (byte) 0xff;
    int declared = 0xff00 | (hello[sniLength.offset() + 1] & 0xff);
    HelloAnatomy.Tree broken = HelloAnatomy.read(hello, null);
    assertTiles(broken.fields(), hello.length);
    int left = hello.length - sniLength.offset() - 2;
    assertEquals("truncated server_name: declares " + declared + " bytes, " + left + " captured",
        broken.problem());

    byte[] inner = TlsFixtures.bytes("client-hello-curl.bin").clone();
    HelloField suites = leaf(HelloAnatomy.of(inner, null), "cipher_suites length");
    inner[suites.offset()] = (byte) 0x7f;
    HelloAnatomy.Tree lying = HelloAnatomy.read(inner, null);
    assertTiles(lying.fields(), inner.length);
    assertTrue(lying.problem().startsWith("truncated"), lying.problem());
  }

  static HelloField leaf(List<HelloField> tree, String name) {
    return leaves(tree).stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  static List<HelloField> leaves(List<HelloField> tree) {
    List<HelloField> out = new ArrayList<>();
    for (HelloField f : tree) {
      if (f.isLeaf()) {
        out.add(f);
      } else {
        out.addAll(leaves(f.children()));
      }
    }
    return out;
  }

  /** Leaves cover [0, length) in order with no gap or overlap; groups span their children. */
  static void assertTiles(List<HelloField> tree, int length) {
    int at = 0;
    for (HelloField f : leaves(tree)) {
      assertEquals(at, f.offset(), "gap or overlap before " + f);
      assertTrue(f.length() > 0, "empty leaf " + f);
      assertNotNull(f.name());
      at += f.length();
    }
    assertEquals(length, at, "leaves end before the record does");
    assertGroups(tree);
  }

  private static void assertGroups(List<HelloField> tree) {
    for (HelloField f : tree) {
      if (!f.isLeaf()) {
        List<HelloField> kids = f.children();
        HelloField last = kids.get(kids.size() - 1);
        assertEquals(f.offset(), kids.get(0).offset(), f.name());
        assertEquals(f.offset() + f.length(), last.offset() + last.length(), f.name());
        assertGroups(kids);
      }
    }
  }
}
