package dev.plainsight.proxy.littleproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.testing.MisbehavingServer;
import dev.plainsight.testing.RawOrigin;
import dev.plainsight.testing.RawProxyClient;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersAdapter;
import org.littleshoot.proxy.HttpFiltersSourceAdapter;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.TransportProtocol;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;
import org.littleshoot.proxy.impl.ServerGroup;

/**
 * Canaries: each test starts a plain LittleProxy (a {@link DefaultHttpProxyServer} with none of
 * Plainsight's workarounds, only a filter that watches) and asserts that the LittleProxy behaviour
 * one workaround corrects, or the private name it relies on, is still there. When a LittleProxy
 * upgrade makes one fail, the test's name says which workaround became unnecessary (or needs
 * mending). Real sockets on loopback; each test well under a second but the one that waits for a
 * client timeout (1.5 s).
 */
class LittleProxyCanaryTest {
  private HttpProxyServer proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.abort();
    }
  }

  /** A plain LittleProxy on loopback whose filters come from {@code filters}. */
  private int plainLittleProxy(BiFunction<HttpRequest, ChannelHandlerContext, HttpFilters> filters) {
    proxy = DefaultHttpProxyServer.bootstrap()
        .withAddress(new InetSocketAddress("127.0.0.1", 0))
        .withFiltersSource(new HttpFiltersSourceAdapter() {
          @Override
          public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext ctx) {
            return filters.apply(request, ctx);
          }
        })
        .start();
    return proxy.getListenAddress().getPort();
  }

  private int plainLittleProxy() {
    return plainLittleProxy(HttpFiltersAdapter::new);
  }

  /** ConnectingGate, DeliveryWatch, HeadTimeout, FramingGuard, UpgradeGate, UnsolicitedGuard. */
  @Test
  void pipelinesStillNameTheirDecoderEncoderAndHandler() throws Exception {
    CompletableFuture<List<String>> client = new CompletableFuture<>();
    CompletableFuture<List<String>> server = new CompletableFuture<>();
    int port = plainLittleProxy((request, ctx) -> new HttpFiltersAdapter(request, ctx) {
      @Override
      public HttpResponse clientToProxyRequest(HttpObject httpObject) {
        client.complete(ctx.pipeline().names());
        return null;
      }

      @Override
      public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
        server.complete(serverCtx.pipeline().names());
      }
    });
    try (RawOrigin origin = RawOrigin.answering(RawOrigin.OK);
        RawProxyClient c = RawProxyClient.plain(port)) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
    }
    for (List<String> names : List.of(client.get(5, TimeUnit.SECONDS),
        server.get(5, TimeUnit.SECONDS))) {
      assertTrue(names.containsAll(List.of(LittleProxyInternals.DECODER,
          LittleProxyInternals.ENCODER, LittleProxyInternals.HANDLER)), names.toString());
    }
  }

  /** AcceptedChannels: the listening channel is found in a private field, by its name. */
  @Test
  void theServerStillKeepsItsListeningChannelInAPrivateGroup() throws Exception {
    plainLittleProxy();
    Field field = DefaultHttpProxyServer.class.getDeclaredField(
        LittleProxyInternals.ALL_CHANNELS_FIELD);
    field.setAccessible(true);
    ChannelGroup channels = (ChannelGroup) field.get(proxy);
    assertTrue(channels.stream().anyMatch(ServerChannel.class::isInstance), channels.toString());
  }

  /** ExchangeFilters (GeneratedAnswers): a response it cannot parse becomes its own 502. */
  @Test
  void anUnparseableResponseStillBecomesLittleProxysOwn502WithThisText() throws Exception {
    CompletableFuture<String> substitute = new CompletableFuture<>();
    int port = plainLittleProxy((request, ctx) -> new HttpFiltersAdapter(request, ctx) {
      @Override
      public HttpObject serverToProxyResponse(HttpObject httpObject) {
        if (httpObject instanceof FullHttpResponse full) {
          substitute.complete(full.status().code() + " "
              + full.content().toString(StandardCharsets.UTF_8));
        }
        return httpObject;
      }
    });
    try (MisbehavingServer origin = new MisbehavingServer(
            MisbehavingServer.Fault.MALFORMED_RESPONSE);
        RawProxyClient c = RawProxyClient.plain(port)) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 502"));
    }
    assertEquals("502 " + LittleProxyInternals.UNPARSEABLE_RESPONSE_BODY,
        substitute.get(5, TimeUnit.SECONDS));
  }

  /** ExchangeFilters.proxyToServerRequest: the WebSocket upgrade headers are restored. */
  @Test
  void aWebSocketUpgradeStillLosesItsUpgradeHeadersOnTheWayToTheServer() throws Exception {
    int port = plainLittleProxy();
    try (RawOrigin origin = RawOrigin.answering(RawOrigin.OK);
        RawProxyClient c = RawProxyClient.plain(port)) {
      c.send("GET " + origin.url("/socket") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
      String received = origin.received().toLowerCase();
      assertTrue(received.contains("sec-websocket-key"), received);
      assertFalse(received.contains("upgrade: websocket"), received);
      assertFalse(received.contains("connection: upgrade"), received);
    }
  }

  /** ServerCloseWatch: a plain client is left waiting when its server closes without a word. */
  @Test
  void aServerThatClosesBeforeAnsweringStillLeavesThePlainClientWaiting() throws Exception {
    int port = plainLittleProxy();
    try (MisbehavingServer origin = new MisbehavingServer(
            MisbehavingServer.Fault.CLOSES_WITHOUT_ANSWER);
        RawProxyClient c = RawProxyClient.plain(port)) {
      c.socket().setSoTimeout(1500);
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      InputStream in = c.in();
      assertThrows(SocketTimeoutException.class, in::read,
          "no answer and no close: the client waits for its own timeout");
    }
  }

  /** UnsolicitedGuard: what a server sends unasked is relayed as the next request's answer. */
  @Test
  void aResponseNobodyAskedForStillAnswersTheNextRequest() throws Exception {
    int port = plainLittleProxy();
    try (MisbehavingServer origin = new MisbehavingServer(
            MisbehavingServer.Fault.INJECTS_IN_THE_SAME_SEGMENT);
        RawProxyClient c = RawProxyClient.plain(port)) {
      c.send("GET " + origin.url("/first") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      String first = c.readHead();
      assertEquals("ok", body(c, first));
      Thread.sleep(100);
      c.send("GET " + origin.url("/second") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals(MisbehavingServer.INJECTED, body(c, c.readHead()));
    }
  }

  /** MalformedRequestTracker: an unparseable request is answered before any filter exists. */
  @Test
  void anOverlongRequestLineStillGets400BeforeAnyFilterRuns() throws Exception {
    AtomicInteger filters = new AtomicInteger();
    int port = plainLittleProxy((request, ctx) -> {
      filters.incrementAndGet();
      return new HttpFiltersAdapter(request, ctx);
    });
    try (RawProxyClient c = RawProxyClient.plain(port)) {
      c.send("GET http://127.0.0.1:9/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 400"));
    }
    assertEquals(0, filters.get());
  }

  /** SharedLoops and CallerLoopChooser: by default the server side runs on other loops. */
  @Test
  void aServerConnectionStillGetsAnotherEventLoopThanItsClient() throws Exception {
    CompletableFuture<EventLoop> client = new CompletableFuture<>();
    CompletableFuture<EventLoop> server = new CompletableFuture<>();
    int port = plainLittleProxy((request, ctx) -> new HttpFiltersAdapter(request, ctx) {
      @Override
      public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
        client.complete(ctx.channel().eventLoop());
        server.complete(serverCtx.channel().eventLoop());
      }
    });
    try (RawOrigin origin = RawOrigin.answering(RawOrigin.OK);
        RawProxyClient c = RawProxyClient.plain(port)) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
    }
    assertNotEquals(client.get(5, TimeUnit.SECONDS), server.get(5, TimeUnit.SECONDS));
    assertFalse(client.get().parent() == server.get().parent(), "separate groups");
  }

  /**
   * UpstreamChannels: a tunnel's server connection is never handed to the filter (no {@code
   * proxyToServerConnectionSucceeded}), and LittleProxy registers the server channel in the very
   * task that calls the filter's {@code proxyToServerConnectionStarted}, on the client's thread.
   */
  @Test
  void aTunnelsServerChannelIsRegisteredWhileItsFilterStarts() throws Exception {
    ThreadLocal<Boolean> starting = new ThreadLocal<>();
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventLoopGroup servers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) {
      @Override
      public ChannelFuture register(Channel channel) {
        seen.add("registered, in the filter's task: " + Boolean.TRUE.equals(starting.get()));
        return super.register(channel);
      }
    };
    proxy = DefaultHttpProxyServer.bootstrap()
        .withAddress(new InetSocketAddress("127.0.0.1", 0))
        .withServerGroup(new ServerGroup("canary", 1, 1, 1) {
          @Override
          public EventLoopGroup getProxyToServerWorkerPoolForTransport(TransportProtocol p) {
            return servers;
          }
        })
        .withFiltersSource(new HttpFiltersSourceAdapter() {
          @Override
          public HttpFilters filterRequest(HttpRequest request, ChannelHandlerContext ctx) {
            return new HttpFiltersAdapter(request, ctx) {
              @Override
              public void proxyToServerConnectionStarted() {
                starting.set(ctx.channel().eventLoop().inEventLoop());
                ctx.channel().eventLoop().execute(starting::remove);
              }

              @Override
              public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
                seen.add("told of the server channel");
              }
            };
          }
        })
        .start();
    try (RawOrigin origin = RawOrigin.answering(RawOrigin.OK);
        RawProxyClient c = RawProxyClient.plain(proxy.getListenAddress().getPort())) {
      c.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertTrue(c.readHead().startsWith("HTTP/1.1 200"));
    } finally {
      servers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
    assertEquals(List.of("registered, in the filter's task: true"), seen);
  }

  /** FlushBatching: a response's head and body are each flushed on their own. */
  @Test
  void eachPartOfAResponseIsStillFlushedOnItsOwn() throws Exception {
    AtomicInteger flushes = new AtomicInteger();
    int port = plainLittleProxy((request, ctx) -> {
      ctx.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
        @Override
        public void flush(ChannelHandlerContext c) throws Exception {
          flushes.incrementAndGet();
          super.flush(c);
        }
      });
      return new HttpFiltersAdapter(request, ctx);
    });
    try (RawOrigin origin = RawOrigin.answering(RawOrigin.OK);
        RawProxyClient c = RawProxyClient.plain(port)) {
      c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals("ok", body(c, c.readHead()));
    }
    assertTrue(flushes.get() >= 2, "flushes for one response in one segment: " + flushes.get());
  }

  /** AuthRequiredFilters: a 407 a filter returns does not reach the client with its challenge. */
  @Test
  void a407ReturnedByAFilterStillLosesItsChallenge() throws Exception {
    int port = plainLittleProxy((request, ctx) -> new HttpFiltersAdapter(request, ctx) {
      @Override
      public HttpResponse clientToProxyRequest(HttpObject httpObject) {
        FullHttpResponse challenge = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
        challenge.headers().set("Proxy-Authenticate", "Basic realm=\"canary\"")
            .set("Content-Length", 0);
        return challenge;
      }
    });
    String answer;
    try (RawProxyClient c = RawProxyClient.plain(port)) {
      c.socket().setSoTimeout(2000);
      c.send("GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n");
      answer = readAll(c.in());
    }
    assertFalse(answer.contains("Proxy-Authenticate: Basic"), answer);
  }

  private static String body(RawProxyClient c, String head) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.readBody(head, (offset, data, length) -> out.write(data, 0, length));
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static String readAll(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException closedOrTimedOut) {
      // what came is what counts
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
