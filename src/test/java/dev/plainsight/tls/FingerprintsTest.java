package dev.plainsight.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JA3 and JA4 against the values their authors publish: JA4 for two browser ClientHellos cut from
 * the JA4 repository's pcaps (python/test/testdata), JA3 for the two examples in the JA3 README,
 * built here from their field lists.
 */
class FingerprintsTest {

  static byte[] hexFixture(String name) {
    return HexFormat.of().parseHex(
        new String(TlsFixtures.bytes(name), StandardCharsets.US_ASCII).trim());
  }

  @Test
  void firefoxFromTheJa4RepositoryHasItsPublishedJa4() {
    Fingerprints f = Fingerprints.of(hexFixture("ja4-repo-tls12-pcap-firefox.hex"));
    assertEquals("t13d1715h2_5b57614c22b0_3d5424432f57", f.ja4());
    assertEquals("t13d1715h2_002f,0035,009c,009d,1301,1302,1303,c009,c00a,c013,c014,c02b,c02c,"
        + "c02f,c030,cca8,cca9_0005,000a,000b,000d,0015,0017,001c,0022,0023,002b,002d,0033,ff01_"
        + "0403,0503,0603,0804,0805,0806,0401,0501,0601,0203,0201", f.ja4Raw());
  }

  @Test
  void chromeWithGreaseFromTheJa4RepositoryHasItsPublishedJa4() {
    Fingerprints f = Fingerprints.of(hexFixture("ja4-repo-tls-sni-pcapng-chrome.hex"));
    assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", f.ja4());
    assertEquals("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,"
        + "cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,"
        + "0804,0401,0503,0805,0501,0806,0601", f.ja4Raw());
  }

  @Test
  void theJa3ReadmeExampleWithExtensionsHashesAsPublished() {
    byte[] hello = hello(0x0301, List.of(47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4),
        List.of(ext(0, serverName("example.com")), ext(10, u16List(23, 24, 25)),
            ext(11, new byte[] {1, 0})));
    Fingerprints f = Fingerprints.of(hello);
    assertEquals("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0",
        f.ja3String());
    assertEquals("ada70206e40642a3e4461f35503241d5", f.ja3());
  }

  @Test
  void theJa3ReadmeExampleWithoutExtensionsHashesAsPublished() {
    byte[] hello = hello(0x0301, List.of(4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99), null);
    Fingerprints f = Fingerprints.of(hello);
    assertEquals("769,4-5-10-9-100-98-3-6-19-18-99,,,", f.ja3String());
    assertEquals("de350869b8c85de67a350c8d186f11e6", f.ja3());
  }

  @Test
  void greaseIsRemovedFromEveryJa3List() {
    byte[] hello = hello(0x0301,
        List.of(0x0a0a, 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4),
        List.of(ext(0x1a1a, new byte[0]), ext(0, serverName("example.com")),
            ext(10, u16List(0x2a2a, 23, 24, 25)), ext(11, new byte[] {1, 0}),
            ext(0xfafa, new byte[] {0})));
    assertEquals("ada70206e40642a3e4461f35503241d5", Fingerprints.of(hello).ja3());
  }

  @Test
  void aHelloWithoutSniOrAlpnIsMarkedIpAndZeroZero() {
    byte[] hello = hello(0x0303, List.of(0x1301), List.of(ext(43, new byte[] {2, 3, 4})));
    Fingerprints f = Fingerprints.of(hello);
    assertEquals("t13i010100_1301_002b", f.ja4Raw());
  }

  @Test
  void anAlpnWithNonAlphanumericEndsIsTakenAsHex() {
    byte[] alpn = {0, 4, 3, 0x30, (byte) 0xab, (byte) 0xcd};
    byte[] hello = hello(0x0303, List.of(0x1301), List.of(ext(16, alpn)));
    assertEquals("t12i0101", Fingerprints.of(hello).ja4().substring(0, 8));
    assertEquals("3d", Fingerprints.of(hello).ja4().substring(8, 10));
  }

  @Test
  void aServerHelloOrTruncatedBytesHaveNoFingerprint() {
    byte[] chrome = hexFixture("ja4-repo-tls-sni-pcapng-chrome.hex");
    assertNull(Fingerprints.of(Arrays.copyOf(chrome, 60)));
    byte[] server = chrome.clone();
    server[5] = 2;
    assertNull(Fingerprints.of(server));
    assertNull(Fingerprints.of(new byte[0]));
    assertNull(Fingerprints.of(null));
    assertNotNull(Fingerprints.of(chrome));
  }

  /** A ClientHello record; {@code extensions} null means the extensions block is absent. */
  static byte[] hello(int version, List<Integer> suites, List<byte[]> extensions) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(version >> 8);
    body.write(version);
    body.writeBytes(new byte[32]);
    body.write(0);
    body.writeBytes(u16List(suites.stream().mapToInt(Integer::intValue).toArray()));
    body.write(1);
    body.write(0);
    if (extensions != null) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      extensions.forEach(all::writeBytes);
      body.writeBytes(u16Prefixed(all.toByteArray()));
    }
    byte[] b = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {22, 3, 1, (byte) ((b.length + 4) >> 8), (byte) (b.length + 4), 1,
        (byte) (b.length >> 16), (byte) (b.length >> 8), (byte) b.length});
    out.writeBytes(b);
    return out.toByteArray();
  }

  static byte[] ext(int type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type >> 8);
    out.write(type);
    out.writeBytes(u16Prefixed(data));
    return out.toByteArray();
  }

  static byte[] serverName(String host) {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream entry = new ByteArrayOutputStream();
    entry.write(0);
    entry.writeBytes(u16Prefixed(name));
    return u16Prefixed(entry.toByteArray());
  }

  static byte[] u16List(int... values) {
    byte[] out = new byte[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      out[2 * i] = (byte) (values[i] >> 8);
      out[2 * i + 1] = (byte) values[i];
    }
    return u16Prefixed(out);
  }

  static byte[] u16Prefixed(byte[] data) {
    byte[] out = new byte[data.length + 2];
    out[0] = (byte) (data.length >> 8);
    out[1] = (byte) data.length;
    System.arraycopy(data, 0, out, 2, data.length);
    return out;
  }
}
