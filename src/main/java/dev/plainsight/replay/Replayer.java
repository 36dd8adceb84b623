package dev.plainsight.replay;

import dev.plainsight.ca.TlsContexts;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowListener;
import dev.plainsight.flow.Header;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a request again through Plainsight's own proxy, so it is captured like any other (https
 * URLs go through a CONNECT and are intercepted unless passed through), and finds the new flow.
 * The request carries {@value #HEADER}: {@code <original id>/<random tag>}; the replayer listens
 * to the store ({@link #flowAdded}) for a flow whose request has that tag. Trusts the JDK's roots
 * and Plainsight's CA (the proxy presents certificates it signed).
 */
public final class Replayer implements FlowListener {
  public static final String HEADER = "X-Plainsight-Replay";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final InetSocketAddress proxy;
  private final X509Certificate plainsightCa;
  private final String proxyAuthorization;
  private final Map<String, CompletableFuture<Flow>> waiting = new ConcurrentHashMap<>();
  private HttpClient client;

  /** What a replay gave: the new flow (null when it was not captured), its status and a note. */
  public record Outcome(Long flowId, int status, String note) {}

  /** {@code proxyAuthorization}: what to sign in to the proxy with, or null when it asks none. */
  public Replayer(InetSocketAddress proxy, X509Certificate plainsightCa,
      String proxyAuthorization) {
    this.proxy = proxy.getAddress().isAnyLocalAddress()
        ? new InetSocketAddress("127.0.0.1", proxy.getPort()) : proxy;
    this.plainsightCa = plainsightCa;
    this.proxyAuthorization = proxyAuthorization;
  }

  /** The client, built on the first replay (most runs never replay anything). */
  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .proxy(ProxySelector.of(proxy))
          .sslContext(TlsContexts.clientContextTrusting(plainsightCa))
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
    }
    return client;
  }

  /** The original flow's id a replayed request names in its {@value #HEADER} header, if any. */
  public static Optional<Long> replayOf(Flow flow) {
    if (flow.request() == null) {
      return Optional.empty();
    }
    for (Header header : flow.request().headers()) {
      if (header.name().equalsIgnoreCase(HEADER)) {
        String value = header.value().trim();
        int slash = value.indexOf('/');
        try {
          return Optional.of(Long.parseLong(slash < 0 ? value : value.substring(0, slash)));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Sends the request and waits for its answer and its flow. Throws {@link IOException} when the
   * proxy could not be reached or the exchange broke off.
   */
  public Outcome replay(ReplayRequest request, long originalId)
      throws IOException, InterruptedException {
    String tag = originalId + "/" + HexFormat.of().formatHex(bytes());
    CompletableFuture<Flow> captured = new CompletableFuture<>();
    waiting.put(tag, captured);
    try {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.url()))
          .timeout(TIMEOUT)
          .method(request.method(), request.body().length == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(request.body()));
      for (Header header : request.sendableHeaders()) {
        builder.header(header.name(), header.value());
      }
      builder.header(HEADER, tag);
      if (proxyAuthorization != null) {
        builder.header("Proxy-Authorization", proxyAuthorization);
      }
      HttpResponse<InputStream> response = client().send(builder.build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        body.transferTo(java.io.OutputStream.nullOutputStream());
      }
      try {
        Flow flow = captured.get(5, TimeUnit.SECONDS);
        return new Outcome(flow.id(), response.statusCode(), null);
      } catch (TimeoutException | ExecutionException e) {
        return new Outcome(null, response.statusCode(), "the replay was sent (status "
            + response.statusCode() + ") but its flow was not seen: a host passed through is "
            + "tunnelled, so the proxy cannot read the request to recognise it");
      }
    } finally {
      waiting.remove(tag);
    }
  }

  @Override
  public void flowAdded(Flow flow) {
    if (waiting.isEmpty() || flow.request() == null) {
      return;
    }
    for (Header header : flow.request().headers()) {
      if (header.name().equalsIgnoreCase(HEADER)) {
        CompletableFuture<Flow> future = waiting.get(header.value().trim());
        if (future != null) {
          future.complete(flow);
        }
      }
    }
  }

  private static byte[] bytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
