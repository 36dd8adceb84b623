package dev.plainsight.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A generated HTTP/1.1 request for the capture-path properties: plausible (any method token,
 * odd but legal bytes in the target and header values, bodies by length or in random chunks) or,
 * with a {@link Hostility}, broken in one way a hostile client might try. {@link #bytes} renders
 * it for a target prefix ("http://127.0.0.1:port" through the proxy, "" for a bare decoder).
 */
record FuzzRequest(String method, String path, List<Header> headers, byte[] body,
    Framing framing, List<Integer> chunkSizes, Hostility hostility) {

  enum Framing { NONE, LENGTH, CHUNKED }

  /** One way of being broken; NONE is a well-formed request. */
  enum Hostility {
    NONE, LENGTH_TOO_LONG, LENGTH_TOO_SHORT, TWO_LENGTHS, CONTROL_BYTE_IN_VALUE,
    NEWLINE_IN_VALUE, BAD_HEADER_NAME, BAD_CHUNK_SIZE, HUGE_CHUNK_SIZE, LENGTH_AND_CHUNKED,
    BAD_REQUEST_LINE
  }

  record Header(String name, String value) {}

  /** Header names the generator never makes up: they frame or route the message. */
  static final Set<String> RESERVED = Set.of("content-length", "transfer-encoding", "connection",
      "host", "upgrade", "expect", "keep-alive", "te", "trailer", "via", "proxy-connection",
      "proxy-authorization", "proxy-authenticate", "content-encoding");

  boolean wellFormed() {
    return hostility == Hostility.NONE;
  }

  byte[] bytes(String targetPrefix, String marker) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String target = targetPrefix + "/echo/" + marker + path;
    write(out, hostility == Hostility.BAD_REQUEST_LINE
        ? method + "  " + target + " HTTP/1.1 extra\r\n"
        : method + " " + target + " HTTP/1.1\r\n");
    write(out, "Host: 127.0.0.1\r\nConnection: close\r\n");
    for (Header header : headers) {
      write(out, header.name() + ": " + header.value() + "\r\n");
    }
    switch (hostility) {
      case CONTROL_BYTE_IN_VALUE -> write(out, "X-Control: a\u0001b\u0000c\r\n");
      case NEWLINE_IN_VALUE -> write(out, "X-Split: a\nInjected: yes\rmore\r\n");
      case BAD_HEADER_NAME -> write(out, "Bad Name(): x\r\n");
      case TWO_LENGTHS -> write(out, "Content-Length: 1\r\n");
      case LENGTH_AND_CHUNKED -> write(out, "Transfer-Encoding: chunked\r\n");
      default -> { }
    }
    if (framing == Framing.CHUNKED || hostility == Hostility.BAD_CHUNK_SIZE
        || hostility == Hostility.HUGE_CHUNK_SIZE) {
      write(out, "Transfer-Encoding: chunked\r\n\r\n");
      int at = 0;
      for (int i = 0; at < body.length; i++) {
        int size = Math.min(chunkSizes.get(i % chunkSizes.size()), body.length - at);
        write(out, Integer.toHexString(size) + (i % 3 == 2 ? ";ext=1" : "") + "\r\n");
        out.write(body, at, size);
        write(out, "\r\n");
        at += size;
      }
      if (hostility == Hostility.BAD_CHUNK_SIZE) {
        write(out, "zz\r\nxx\r\n");
      } else if (hostility == Hostility.HUGE_CHUNK_SIZE) {
        write(out, "ffffffffffffffffff\r\nxx\r\n");
      }
      write(out, "0\r\n\r\n");
      return out.toByteArray();
    }
    long declared = switch (hostility) {
      case LENGTH_TOO_LONG -> body.length + 10;
      case LENGTH_TOO_SHORT -> Math.max(0, body.length - 3);
      default -> body.length;
    };
    if (framing == Framing.LENGTH || hostility != Hostility.NONE) {
      write(out, "Content-Length: " + declared + "\r\n");
    }
    write(out, "\r\n");
    out.write(body, 0, body.length);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Arbitrary<FuzzRequest> plausible() {
    return requests(Arbitraries.just(Hostility.NONE));
  }

  static Arbitrary<FuzzRequest> plausibleOrHostile() {
    return requests(Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Hostility.NONE)),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(Hostility.class))));
  }

  private static Arbitrary<FuzzRequest> requests(Arbitrary<Hostility> hostility) {
    Arbitrary<String> method = Arbitraries.oneOf(
        Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
        Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(12)
            .filter(m -> !Set.of("HEAD", "CONNECT", "TRACE").contains(m)));
    Arbitrary<String> path = Arbitraries.strings()
        .withChars("abcXYZ019-._~!$&'()*+,;=:@/%").ofMaxLength(60)
        .map(p -> p.replace("%", "%25"))
        .flatMap(p -> Arbitraries.strings().withChars("abc=&%20+/?:@").ofMaxLength(30)
            .map(q -> p + (q.isEmpty() ? "" : "?" + q.replace("%", "%25"))));
    Arbitrary<Header> header = Combinators.combine(
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789!#$%&'*+-.^_`|~")
            .ofMinLength(1).ofMaxLength(20).filter(n -> !RESERVED.contains(n.toLowerCase())
                && !n.toLowerCase().startsWith("proxy-")),
        Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u0080', '\u00ff')
            .ofMaxLength(80).map(String::strip))
        .as(Header::new);
    Arbitrary<byte[]> body = Arbitraries.oneOf(
        Arbitraries.just(new byte[0]),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2048),
        Arbitraries.integers().between(1, 64 * 1024).map(FuzzRequest::patterned));
    Arbitrary<List<Integer>> chunks = Arbitraries.integers().between(1, 9000).list()
        .ofMinSize(1).ofMaxSize(6);
    return Combinators.combine(method, path, header.list().ofMaxSize(20), body,
        Arbitraries.of(Framing.class), chunks, hostility)
        .as((m, p, h, b, f, c, x) -> new FuzzRequest(m, p, h, b,
            b.length > 0 && f == Framing.NONE ? Framing.LENGTH : f, c, x));
  }

  private static byte[] patterned(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 7 + size);
    }
    return bytes;
  }

  @Override
  public String toString() {
    return method + " " + path + " " + headers.size() + " headers, " + body.length + " bytes "
        + framing + " " + chunkSizes + " " + hostility;
  }
}
