package dev.plainsight.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.tls.TlsFixtures.Chunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties over arbitrary input: the observer never throws, never hits an internal error (which
 * it would turn into a note), never writes to its input, and the chunking of the stream never
 * changes what it sees.
 */
class TlsObserverPropertiesTest {

  private static final List<String> FIXTURES = List.of("client-hello-curl.bin",
      "client-hello-openssl-tls12.bin", "client-hello-openssl-tls13.bin", "client-hello-java17.bin",
      "client-hello-chromium.bin", "server-flight-tls12.bin", "server-flight-tls13.bin",
      "alert-unknown-ca.bin", "conversation-tls12.conv", "conversation-tls13.conv",
      "conversation-hrr.conv", "conversation-curl-refuses-tls12.conv");

  private static List<Chunk> chunks(String fixture) {
    if (fixture.endsWith(".conv")) {
      return TlsFixtures.conversation(fixture);
    }
    Direction dir =
        fixture.startsWith("server") ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER;
    return TlsFixtures.oneWay(dir, TlsFixtures.bytes(fixture));
  }

  private static void assertSane(TlsObservation seen) {
    assertNotNull(seen);
    assertTrue(seen.notes().stream().noneMatch(n -> n.contains("internal error")),
        seen.notes().toString());
    assertTrue(seen.ladder().size() <= TlsObserver.DEFAULT_LADDER_CAP);
  }

  @Property(tries = 1000)
  void arbitraryBytesInBothDirectionsNeverThrow(
      @ForAll @Size(max = 3000) byte[] client, @ForAll @Size(max = 3000) byte[] server) {
    byte[] clientCopy = client.clone();
    TlsObserver observer = new TlsObserver();
    observer.onBytes(Direction.CLIENT_TO_SERVER, client, 0, client.length, 0);
    observer.onBytes(Direction.SERVER_TO_CLIENT, server, 0, server.length, 1);
    TlsObservation seen = observer.snapshot();
    assertSane(seen);
    assertEquals(client.length, seen.clientBytes());
    assertArrayEquals(clientCopy, client);
  }

  @Property(tries = 1000)
  void recordShapedGarbageNeverThrows(@ForAll("recordStreams") byte[] stream,
      @ForAll Direction direction) {
    TlsObserver observer = new TlsObserver();
    observer.onBytes(direction, stream, 0, stream.length, 0);
    assertSane(observer.snapshot());
  }

  @Property(tries = 1000)
  void anyChunkingOfAFixtureGivesTheSameSnapshot(@ForAll("fixtures") String fixture,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 700) Integer> sizes) {
    List<Chunk> chunks = chunks(fixture);
    TlsObservation chunked = TlsFixtures.observeChunked(chunks, sizes);
    assertSane(chunked);
    assertEquals(TlsFixtures.observeWhole(chunks), chunked);
  }

  @Property(tries = 1000)
  void mutatedFixturesNeverThrow(@ForAll("fixtures") String fixture,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 3000) Integer> positions,
      @ForAll byte value, @ForAll @IntRange(min = 0, max = 3000) int cutAt) {
    List<Chunk> mutated = new ArrayList<>();
    for (Chunk chunk : chunks(fixture)) {
      byte[] data = chunk.data().clone();
      for (int p : positions) {
        if (p < data.length) {
          data[p] ^= value == 0 ? 1 : value;
        }
      }
      mutated.add(new Chunk(chunk.direction(), chunk.millis(), data));
    }
    assertSane(TlsFixtures.observeWhole(mutated));
    Chunk first = mutated.get(0);
    byte[] cut = Arrays.copyOf(first.data(), Math.min(cutAt, first.data().length));
    assertSane(TlsFixtures.observeWhole(List.of(new Chunk(first.direction(), 0, cut))));
  }

  @Provide
  Arbitrary<String> fixtures() {
    return Arbitraries.of(FIXTURES);
  }

  /** Streams of records with valid headers and random (often handshake-shaped) payloads. */
  @Provide
  Arbitrary<byte[]> recordStreams() {
    Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    Arbitrary<Integer> handshakeType = Arbitraries.of(1, 2, 11, 12, 14, 4);
    Arbitrary<byte[]> handshake = Combinators.combine(handshakeType, payload,
        Arbitraries.integers().between(-3, 3)).as((type, body, skew) -> {
          int length = Math.max(0, body.length + skew);
          byte[] message = new byte[4 + body.length];
          message[0] = (byte) (int) type;
          message[1] = (byte) (length >> 16);
          message[2] = (byte) (length >> 8);
          message[3] = (byte) length;
          System.arraycopy(body, 0, message, 4, body.length);
          return TlsFixtures.record(22, 0x0303, message);
        });
    Arbitrary<byte[]> other = Combinators.combine(Arbitraries.integers().between(20, 24), payload)
        .as((type, body) -> TlsFixtures.record(type, 0x0303, body));
    return Arbitraries.oneOf(handshake, other).list().ofMaxSize(6)
        .map(records -> TlsFixtures.concat(records.toArray(byte[][]::new)));
  }
}
