package dev.plainsight.proxy.littleproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Canaries for the Netty behaviours {@link FramingGuard} corrects, on LittleProxy's request decoder
 * (8192 / 16384 / 16384): each fails when Netty changes it, and the guard may then be revisited.
 */
class NettyFramingCanaryTest {

  @Test
  void nettyReportsABadChunkSizeAsAFailedLastContentThatLittleProxyForwardsAsAnEmptyBody() {
    List<Read> read = decode("POST /x HTTP/1.1\r\nHost: o\r\nTransfer-Encoding: chunked"
        + "\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n");
    assertTrue(read.get(0).head() && !read.get(0).failed(), "the head is fine: it is forwarded");
    assertTrue(read.get(1).last() && read.get(1).failed(), read.toString());
    assertEquals("", read.get(1).content());
  }

  @Test
  void nettyUnfoldsObsFoldSoNoHandlerBehindItCanSeeIt() {
    List<Read> read = decode("GET /x HTTP/1.1\r\nHost: o\r\nX-Folded: a\r\n b\r\n\r\n");
    assertFalse(read.get(0).failed());
    assertEquals("a b", read.get(0).folded());
  }

  @Test
  void nettyReadsEightBytesOfBodyAfterTheHixieKeyPair() {
    List<Read> read = decode("GET /x HTTP/1.1\r\nHost: o\r\nSec-WebSocket-Key1: 1\r\n"
        + "Sec-WebSocket-Key2: 2\r\n\r\nGET /adm");
    assertEquals("GET /adm", read.get(1).content());
  }

  /** What the decoder emitted, copied out before its buffers are released. */
  record Read(boolean head, boolean last, boolean failed, String content, String folded) {}

  private static List<Read> decode(String bytes) {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(8192, 16384, 16384));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    List<Read> read = new ArrayList<>();
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      try {
        HttpObject object = (HttpObject) msg;
        read.add(new Read(object instanceof HttpRequest, object instanceof LastHttpContent,
            object.decoderResult().isFailure(), object instanceof HttpContent content
                ? content.content().toString(StandardCharsets.ISO_8859_1) : null,
            object instanceof HttpRequest request ? request.headers().get("X-Folded") : null));
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    channel.finishAndReleaseAll();
    return read;
  }
}
