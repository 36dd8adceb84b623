package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.capture.ExchangeCapture;
import dev.plainsight.dashboard.FlowJson;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.Header;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The capture path without sockets, for thousands of generated requests: the bytes, in any
 * chunking, go through Netty's request decoder (as in LittleProxy's pipeline) into an {@link
 * ExchangeCapture}, then into a flow and the dashboard's JSON. Nothing throws, every buffer is
 * released, and a well-formed request is captured with its method, URL, headers and body.
 */
class HttpCapturePropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<FuzzRequest> requests() {
    return FuzzRequest.plausibleOrHostile();
  }

  @Property(tries = 2000)
  void anyRequestInAnyChunkingIsCapturedWithoutThrowing(@ForAll("requests") FuzzRequest request,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 5000) Integer> cuts)
      throws Exception {
    byte[] bytes = request.bytes("", "m");
    EmbeddedChannel decoder = new EmbeddedChannel(new HttpRequestDecoder());
    List<HttpObject> decoded = new ArrayList<>();
    for (int at = 0, i = 0; at < bytes.length; i++) {
      int size = Math.min(cuts.get(i % cuts.size()), bytes.length - at);
      decoder.writeInbound(Unpooled.copiedBuffer(bytes, at, size));
      at += size;
      for (Object out; (out = decoder.readInbound()) != null; ) {
        decoded.add((HttpObject) out);
      }
    }
    decoder.finishAndReleaseAll();

    ExchangeCapture exchange = new ExchangeCapture("127.0.0.1", 1024 * 1024);
    boolean failed = false;
    try {
      for (HttpObject object : decoded) {
        failed |= object.decoderResult().isFailure();
        if (object instanceof HttpRequest head && !failed) {
          List<Header> headers = new ArrayList<>();
          head.headers().forEach(e -> headers.add(new Header(e.getKey(), e.getValue())));
          exchange.request(head.method().name(), "http://origin.test" + head.uri(), "origin.test",
              80, head.protocolVersion().text(), headers);
        }
        if (object instanceof HttpContent content && !failed) {
          exchange.requestChunk(content.content());
        }
      }
    } finally {
      decoded.forEach(ReferenceCountUtil::release);
    }
    exchange.response(200, "OK", "HTTP/1.1", List.of(new Header("Content-Length", "0")));
    Flow flow = (failed ? exchange.failed("malformed") : exchange.complete(FlowKind.HTTP))
        .session("fuzz").build();
    Map<String, Object> json = FlowJson.detail(flow);
    assertFalse(JSON.writeValueAsString(json).isEmpty());

    if (request.wellFormed()) {
      assertFalse(failed, "a well-formed request decodes: " + request);
      assertEquals(request.method(), flow.method());
      assertEquals("http://origin.test/echo/m" + request.path(), flow.url());
      assertEquals(request.body().length, flow.requestBytes());
      assertArrayEquals(request.body(), flow.request().body().captured());
      for (FuzzRequest.Header sent : request.headers()) {
        assertTrue(flow.request().headers().stream().anyMatch(h ->
            h.name().equals(sent.name()) && h.value().equals(sent.value())), sent.toString());
      }
    }
  }
}
