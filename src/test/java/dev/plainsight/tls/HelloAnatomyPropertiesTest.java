package dev.plainsight.tls;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the bytes, the anatomy never throws and its leaves tile them exactly; so does the
 * fingerprint computation never throw. Inputs: arbitrary bytes, bytes behind a valid ClientHello
 * header, and recorded hellos with bytes overwritten or cut.
 */
class HelloAnatomyPropertiesTest {

  private static final List<String> FIXTURES = List.of("client-hello-curl.bin",
      "client-hello-openssl-tls12.bin", "client-hello-openssl-tls13.bin",
      "client-hello-java17.bin", "client-hello-chromium.bin");

  @Property(tries = 2000)
  void anyBytesTile(@ForAll @Size(max = 600) byte[] bytes) {
    HelloAnatomyTest.assertTiles(HelloAnatomy.of(bytes, null), bytes.length);
    Fingerprints.of(bytes);
  }

  @Property(tries = 2000)
  void anyBodyBehindAClientHelloHeaderTiles(@ForAll @Size(max = 600) byte[] body,
      @ForAll @IntRange(min = 0, max = 0xffff) int recordLength,
      @ForAll @IntRange(min = 0, max = 0xffffff) int helloLength) {
    byte[] bytes = new byte[9 + body.length];
    byte[] head = {22, 3, 1, (byte) (recordLength >> 8), (byte) recordLength, 1,
        (byte) (helloLength >> 16), (byte) (helloLength >> 8), (byte) helloLength};
    System.arraycopy(head, 0, bytes, 0, 9);
    System.arraycopy(body, 0, bytes, 9, body.length);
    HelloAnatomyTest.assertTiles(HelloAnatomy.of(bytes, "note"), bytes.length);
    Fingerprints.of(bytes);
  }

  @Property(tries = 3000)
  void aRecordedHelloWithBytesOverwrittenAndCutTiles(
      @ForAll @IntRange(min = 0, max = 4) int fixture,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1730) Integer> positions,
      @ForAll byte value, @ForAll @IntRange(min = 0, max = 1731) int cut) {
    byte[] original = TlsFixtures.bytes(FIXTURES.get(fixture));
    byte[] bytes = java.util.Arrays.copyOf(original, Math.min(cut, original.length));
    for (int p : positions) {
      if (p < bytes.length) {
        bytes[p] = value;
      }
    }
    HelloAnatomyTest.assertTiles(HelloAnatomy.of(bytes, null), bytes.length);
    Fingerprints.of(bytes);
  }
}
