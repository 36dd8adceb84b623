package dev.plainsight.proxy.littleproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accounting without sockets: a codec like LittleProxy's, the guard right after it. */
class UnsolicitedGuardTest {
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  private static final String UNASKED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\ninjected";

  private final List<String> reasons = new ArrayList<>();
  private final EmbeddedChannel channel = guarded();

  private EmbeddedChannel guarded() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.pipeline().addLast("decoder", new HttpClientCodec());
    UnsolicitedGuard.on(ch, "evil:80", reasons::add);
    return ch;
  }

  private void send(HttpMethod method) {
    channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/",
        Unpooled.EMPTY_BUFFER));
    releaseAll(channel.outboundMessages());
  }

  private void receive(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
  }

  /** The statuses and body text passed on to LittleProxy. */
  private String passed() {
    StringBuilder out = new StringBuilder();
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      if (msg instanceof HttpResponse response) {
        out.append('[').append(response.status().code()).append(']');
      }
      if (msg instanceof io.netty.handler.codec.http.HttpContent content) {
        out.append(content.content().toString(StandardCharsets.US_ASCII));
      }
      ReferenceCountUtil.release(msg);
    }
    return out.toString();
  }

  private static void releaseAll(java.util.Queue<Object> queue) {
    for (Object msg; (msg = queue.poll()) != null; ) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Test
  void aResponseToARequestPasses() {
    send(HttpMethod.GET);
    receive(OK);
    assertEquals("[200]ok", passed());
    assertTrue(reasons.isEmpty());
    assertTrue(channel.isOpen());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aSecondResponseInTheSameSegmentIsDroppedAndTheConnectionClosed() {
    send(HttpMethod.GET);
    receive(OK + UNASKED);
    assertEquals("[200]ok", passed());
    assertEquals(List.of("the server evil:80 sent a response with no request outstanding;"
        + " dropped, server connection closed"), reasons);
    assertFalse(channel.isOpen());
    channel.finishAndReleaseAll();
  }

  @Test
  void aResponseBeforeAnyRequestIsDropped() {
    receive(UNASKED);
    assertEquals("", passed());
    assertEquals(1, reasons.size());
    assertFalse(channel.isOpen());
    channel.finishAndReleaseAll();
  }

  @Test
  void twoPipelinedRequestsHaveTwoLegitimateResponses() {
    send(HttpMethod.GET);
    send(HttpMethod.GET);
    receive(OK + OK);
    assertEquals("[200]ok[200]ok", passed());
    assertTrue(reasons.isEmpty());
    receive(UNASKED);
    assertEquals("", passed());
    assertEquals(1, reasons.size());
    channel.finishAndReleaseAll();
  }

  @Test
  void aHundredContinueIsSolicitedAndTheFinalResponseToo() {
    send(HttpMethod.POST);
    receive("HTTP/1.1 100 Continue\r\n\r\n" + OK);
    assertEquals("[100][200]ok", passed());
    assertTrue(reasons.isEmpty());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aResponseToHeadHasNoBodySoTheNextResponseIsUnasked() {
    send(HttpMethod.HEAD);
    receive("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n" + UNASKED);
    assertEquals("[200]", passed());
    assertEquals(1, reasons.size());
    channel.finishAndReleaseAll();
  }

  @Test
  void aCloseDelimitedResponseEndsAtTheClose() {
    send(HttpMethod.GET);
    receive("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
    channel.close();
    assertEquals("[200]until the end", passed());
    assertTrue(reasons.isEmpty());
    channel.finishAndReleaseAll();
  }

  @Test
  void afterASwitchToWebSocketEverythingPasses() {
    ResponseLedger ledger = new ResponseLedger();
    ledger.sent(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws"));
    assertTrue(ledger.read(new DefaultHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS)));
    assertTrue(ledger.read(LastHttpContent.EMPTY_LAST_CONTENT));
    ByteBuf frame = Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 0});
    assertTrue(ledger.read(new DefaultHttpContent(frame)));
    assertTrue(ledger.read(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)));
    frame.release();
  }

  @Test
  void anUnaskedResponseBetweenTwoRequestsIsDroppedEvenIfAnotherRequestFollows() {
    ResponseLedger ledger = new ResponseLedger();
    ledger.sent(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    assertTrue(ledger.read(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)));
    assertTrue(ledger.read(LastHttpContent.EMPTY_LAST_CONTENT));
    assertEquals(0, ledger.outstanding());
    assertFalse(ledger.read(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)));
    ledger.sent(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    assertFalse(ledger.read(LastHttpContent.EMPTY_LAST_CONTENT), "the connection stays untrusted");
  }
}
