package dev.plainsight.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plainsight.flow.Body;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.Timings;
import dev.plainsight.flow.WebSocketMessage;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One flow as a HAR 1.2 entry. Bodies are given as HAR expects them, with the content coding
 * undone (text when they are UTF-8 text, else base64); a flow that has no request or response (a
 * tunnel, a refused handshake) still gets both, empty. Plainsight's own data goes under
 * {@code _plainsight}: the flow record as stored (kind, client, error, TLS, raw timings, wire
 * observations...), each body's size and truncation, and the wire bytes of a body whose coding was
 * undone, so that an import gives back exactly the flow exported. A WebSocket flow's messages are
 * also given as Chrome gives them, under {@code _webSocketMessages} (type send or receive, time
 * in seconds since the epoch, opcode, data: text, else base64).
 */
final class HarEntryWriter {
  static final int MAX_DECODED = 16 * 1024 * 1024;
  private static final Base64.Encoder BASE64 = Base64.getEncoder();
  private static final Map<String, Integer> OPCODES = Map.of(WebSocketMessage.TEXT, 1,
      WebSocketMessage.BINARY, 2, WebSocketMessage.CLOSE, 8, WebSocketMessage.PING, 9,
      WebSocketMessage.PONG, 10);

  private final ObjectMapper json;

  HarEntryWriter(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode entry(Flow flow) {
    ObjectNode entry = json.createObjectNode();
    Instant started = flow.startedAt() == null ? Instant.EPOCH : flow.startedAt();
    entry.put("startedDateTime", started.toString());
    ObjectNode timings = timings(flow);
    long total = 0;
    for (String step : List.of("blocked", "dns", "connect", "send", "wait", "receive")) {
      total += Math.max(0, timings.get(step).asLong());
    }
    entry.put("time", total);
    ObjectNode plainsight = plainsight(flow);
    entry.set("request", request(flow, plainsight));
    entry.set("response", response(flow, plainsight));
    entry.set("cache", json.createObjectNode());
    entry.set("timings", timings);
    entry.set("_plainsight", plainsight);
    if (!flow.messages().isEmpty()) {
      entry.put("_resourceType", "websocket");
      entry.set("_webSocketMessages", webSocketMessages(flow));
    }
    return entry;
  }

  private ArrayNode webSocketMessages(Flow flow) {
    ArrayNode messages = json.createArrayNode();
    for (WebSocketMessage message : flow.messages()) {
      if (message.standsForOmitted()) {
        continue;
      }
      ObjectNode m = messages.addObject();
      m.put("type", message.fromClient() ? "send" : "receive");
      m.put("time", message.at().getEpochSecond() + message.at().getNano() / 1e9);
      m.put("opcode", OPCODES.getOrDefault(message.type(), 0));
      m.put("data", WebSocketMessage.TEXT.equals(message.type())
          ? new String(message.payload(), StandardCharsets.UTF_8)
          : BASE64.encodeToString(message.payload()));
    }
    return messages;
  }

  private ObjectNode request(Flow flow, ObjectNode plainsight) {
    ObjectNode request = json.createObjectNode();
    List<Header> headers = flow.request() == null ? List.of() : flow.request().headers();
    request.put("method", flow.method() != null ? flow.method()
        : flow.request() != null ? flow.request().method() : "");
    String url = url(flow);
    request.put("url", url);
    request.put("httpVersion", flow.request() == null || flow.request().httpVersion() == null
        ? "" : flow.request().httpVersion());
    request.set("cookies", cookies(ContentCoding.header(headers, "Cookie"), false));
    request.set("headers", headers(headers));
    request.set("queryString", query(url));
    Body body = flow.request() == null ? null : flow.request().body();
    if (body != null && body.captured().length > 0) {
      ObjectNode postData = request.putObject("postData");
      String type = ContentCoding.header(headers, "Content-Type");
      postData.put("mimeType", type == null ? "" : type);
      String text = Texts.strictUtf8(body.captured());
      if (text != null) {
        postData.put("text", text);
      } else {
        postData.put("text", BASE64.encodeToString(body.captured()));
        postData.put("_encoding", "base64");
      }
    }
    request.put("headersSize", -1);
    request.put("bodySize", body == null ? 0 : body.size());
    if (flow.request() != null) {
      bodyFacts(plainsight.putObject("requestBody"), body == null ? Body.EMPTY : body);
    }
    return request;
  }

  private ObjectNode response(Flow flow, ObjectNode plainsight) {
    ObjectNode response = json.createObjectNode();
    ObjectNode content = json.createObjectNode();
    if (flow.response() == null) {
      response.put("status", flow.status() == null ? 0 : flow.status());
      response.put("statusText", "");
      response.put("httpVersion", "");
      response.set("cookies", json.createArrayNode());
      response.set("headers", json.createArrayNode());
      content.put("size", 0);
      content.put("mimeType", "x-unknown");
      response.set("content", content);
      response.put("redirectURL", "");
      response.put("headersSize", -1);
      response.put("bodySize", -1);
      if (flow.error() != null) {
        response.put("_error", flow.error());
      }
      return response;
    }
    List<Header> headers = flow.response().headers();
    response.put("status", flow.response().status());
    response.put("statusText", flow.response().reason() == null ? "" : flow.response().reason());
    response.put("httpVersion", flow.response().httpVersion() == null
        ? "" : flow.response().httpVersion());
    response.set("cookies", cookies(ContentCoding.header(headers, "Set-Cookie"), true));
    response.set("headers", headers(headers));
    Body body = flow.response().body() == null ? Body.EMPTY : flow.response().body();
    ObjectNode facts = plainsight.putObject("responseBody");
    bodyFacts(facts, body);
    byte[] shown = decoded(body, headers);
    if (shown != body.captured()) {
      facts.put("wire", BASE64.encodeToString(body.captured()));
      content.put("compression", shown.length - body.captured().length);
    }
    content.put("size", shown == body.captured() ? body.size() : shown.length);
    String type = ContentCoding.header(headers, "Content-Type");
    content.put("mimeType", type == null ? "" : type);
    if (shown.length > 0) {
      String text = Texts.strictUtf8(shown);
      if (text != null) {
        content.put("text", text);
      } else {
        content.put("text", BASE64.encodeToString(shown));
        content.put("encoding", "base64");
      }
    }
    response.set("content", content);
    String location = ContentCoding.header(headers, "Location");
    response.put("redirectURL", location == null ? "" : location);
    response.put("headersSize", -1);
    response.put("bodySize", body.size());
    return response;
  }

  /** The body with its coding undone, or the very same array when there is nothing to undo. */
  private static byte[] decoded(Body body, List<Header> headers) {
    if (ContentCoding.of(headers) == null || body.truncated() || body.captured().length == 0) {
      return body.captured();
    }
    try {
      return ContentDecoder.decode(body.captured(), ContentDecoder.codings(headers), MAX_DECODED);
    } catch (IOException e) {
      return body.captured();
    }
  }

  private ObjectNode timings(Flow flow) {
    Timings t = flow.timings() == null ? Timings.NONE : flow.timings();
    ObjectNode timings = json.createObjectNode();
    long dns = or(t.dnsMs(), -1);
    long ssl = or(t.tlsUpstreamMs(), -1);
    long connect = t.connectMs() == null ? (ssl >= 0 ? ssl : -1) : t.connectMs() + Math.max(0, ssl);
    long wait = or(t.waitMs(), 0);
    long receive = or(t.transferMs(), 0);
    long known = Math.max(0, dns) + Math.max(0, connect) + wait + receive;
    timings.put("blocked", Math.max(0, flow.durationMs() - known));
    timings.put("dns", dns);
    timings.put("connect", connect);
    timings.put("send", 0);
    timings.put("wait", wait);
    timings.put("receive", receive);
    timings.put("ssl", ssl);
    return timings;
  }

  /** The flow record itself, body bytes and the request/response (given by HAR) left out. */
  private ObjectNode plainsight(Flow flow) {
    ObjectNode p = FlowCodec.STORED.valueToTree(flow);
    p.remove("request");
    p.remove("response");
    if (flow.kind() != null) {
      p.put("kind", flow.kind().wire());
    }
    return p;
  }

  private static void bodyFacts(ObjectNode node, Body body) {
    node.put("size", body.size());
    node.put("truncated", body.truncated());
  }

  private ArrayNode headers(List<Header> headers) {
    ArrayNode list = json.createArrayNode();
    for (Header header : headers) {
      list.addObject().put("name", header.name()).put("value", header.value());
    }
    return list;
  }

  private ArrayNode cookies(String header, boolean setCookie) {
    ArrayNode list = json.createArrayNode();
    if (header == null) {
      return list;
    }
    String[] parts = setCookie ? new String[] {header.split(";", 2)[0]} : header.split(";");
    for (String part : parts) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        list.addObject().put("name", part.substring(0, eq).trim())
            .put("value", part.substring(eq + 1).trim());
      }
    }
    return list;
  }

  private ArrayNode query(String url) {
    ArrayNode list = json.createArrayNode();
    int q = url.indexOf('?');
    if (q < 0) {
      return list;
    }
    int hash = url.indexOf('#', q);
    String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      list.addObject().put("name", decode(eq < 0 ? pair : pair.substring(0, eq)))
          .put("value", eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return list;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static String url(Flow flow) {
    if (flow.url() != null) {
      return flow.url();
    }
    String host = flow.host() == null ? "unknown" : flow.host();
    boolean ipv6 = host.contains(":") && !host.startsWith("[");
    return "https://" + (ipv6 ? "[" + host + "]" : host)
        + (flow.port() == 0 || flow.port() == 443 ? "" : ":" + flow.port()) + "/";
  }

  private static long or(Long value, long fallback) {
    return value == null ? fallback : value;
  }
}
