package dev.plainsight.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.CapturedResponse;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.flow.Header;
import dev.plainsight.flow.Timings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one HAR entry (Chromium, Firefox, mitmproxy, or Plainsight's own export) into a flow.
 * Missing fields get neutral values; wrong types give a {@link HarFormatException} naming the
 * field. Plainsight's {@code _plainsight} data, when present, restores the flow exactly. Foreign
 * bodies come decoded in a HAR: they are re-encoded with gzip or deflate when the headers say so,
 * so the stored bytes match the headers as captured bytes would. Bodies are capped.
 */
final class HarEntryReader {
  private static final Pattern ORIGIN =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://"
          + "(\\[[^\\]]*\\]|[^/:?#@]*@?[^/:?#]*)(?::(\\d{1,5}))?");

  private static final HarNode NO_FACTS = new HarNode(null, "", "");

  private final ObjectMapper json;
  private final int maxBody;

  HarEntryReader(ObjectMapper json, int maxBody) {
    this.json = json;
    this.maxBody = maxBody;
  }

  Flow flow(JsonNode entryNode, String where, String session) throws HarFormatException {
    if (entryNode == null || !entryNode.isObject()) {
      String type = entryNode == null ? "nothing"
          : entryNode.getNodeType().toString().toLowerCase(Locale.ROOT);
      throw new HarFormatException(where + ": an entry must be an object, not " + type);
    }
    HarNode entry = new HarNode(entryNode, where, "");
    HarNode own = entry.get("_plainsight").object();
    return own.absent() ? foreign(entry, session) : own(entry, own, session);
  }

  /** An entry from a browser or another tool: what it lacks is inferred. */
  private Flow foreign(HarNode entry, String session) throws HarFormatException {
    HarNode req = entry.get("request").object();
    HarNode res = entry.get("response").object();
    String url = req.get("url").text(null);
    if (url == null) {
      throw entry.fail("request.url is missing");
    }
    String method = req.get("method").text("GET");
    Matcher origin = ORIGIN.matcher(url);
    boolean hasOrigin = origin.find();
    String host = hasOrigin ? hostOf(origin.group(2)) : null;
    CapturedRequest request = request(req, method, url, NO_FACTS);
    String error = res.get("_error").text(null);
    int status = (int) res.get("status").whole(0, 0, 999);
    CapturedResponse response = res.absent() || status == 0 && headerCount(res) == 0
        ? null : response(res, NO_FACTS, true);
    FlowKind kind = error != null && !error.isEmpty() || response == null ? FlowKind.ERROR
        : url.regionMatches(true, 0, "https:", 0, 6) ? FlowKind.HTTPS_DECRYPTED : FlowKind.HTTP;
    if (kind == FlowKind.ERROR && (error == null || error.isEmpty())) {
      error = "no response";
    }
    Long duration = entry.get("time").millis();
    return new FlowBuilder()
        .session(session)
        .kind(kind)
        .startedAt(instant(entry.get("startedDateTime")))
        .client("")
        .method(method)
        .url(url)
        .host(host == null ? null : host.toLowerCase(Locale.ROOT))
        .port(hasOrigin ? portOf(origin.group(1), origin.group(3)) : 0)
        .status(response == null ? null : response.status())
        .requestBytes(request.body().size())
        .responseBytes(response == null ? 0 : wireSize(res, response.body().size()))
        .durationMs(duration == null ? 0 : duration)
        .error(error)
        .request(request)
        .response(response)
        .timings(timings(entry.get("timings")))
        .build();
  }

  /**
   * An entry Plainsight exported: {@code _plainsight} is the flow record itself, into which the
   * request and response rebuilt from the HAR are put back.
   */
  private Flow own(HarNode entry, HarNode own, String session) throws HarFormatException {
    HarNode req = entry.get("request").object();
    HarNode res = entry.get("response").object();
    ObjectNode record = ((ObjectNode) own.raw()).deepCopy();
    record.remove(List.of("requestBody", "responseBody", "id"));
    String method = own.get("method").text(null);
    String url = own.get("url").text(null);
    record.set("request", own.get("requestBody").absent() ? NullNode.getInstance()
        : json.valueToTree(request(req, req.get("method").text(method), req.get("url").text(url),
            own.get("requestBody").object())));
    record.set("response", own.get("responseBody").absent() ? NullNode.getInstance()
        : json.valueToTree(response(res, own.get("responseBody").object(), false)));
    record.put("kind", kind(own.get("kind")).name());
    record.put("startedAt", instant(entry.get("startedDateTime")).toString());
    try {
      return json.treeToValue(record, Flow.class).withSession(session);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw own.fail("_plainsight is not a valid Plainsight flow: " + firstLine(e.getMessage()));
    }
  }

  /** HAR's bodySize (bytes on the wire) when known, else the body's own size. */
  private static long wireSize(HarNode message, long fallback) throws HarFormatException {
    long size = message.get("bodySize").whole(-1, -1, Long.MAX_VALUE);
    return size < 0 ? fallback : size;
  }

  private static int headerCount(HarNode message) throws HarFormatException {
    JsonNode headers = message.get("headers").array();
    return headers == null ? 0 : headers.size();
  }

  private CapturedRequest request(HarNode req, String method, String url, HarNode facts)
      throws HarFormatException {
    List<Header> headers = headers(req.get("headers"));
    HarNode post = req.get("postData").object();
    byte[] bytes = new byte[0];
    if (!post.absent()) {
      String text = post.get("text").text(null);
      String encoding = post.get("_encoding").text(post.get("encoding").text(null));
      if (text != null) {
        bytes = decodeText(text, encoding, post.get("text"));
      } else if (post.get("params").array() != null) {
        bytes = formBody(post.get("params"));
      }
    }
    Body body = body(bytes, req.get("bodySize"), facts);
    return new CapturedRequest(method, url, req.get("httpVersion").text(""), headers, body);
  }

  private CapturedResponse response(HarNode res, HarNode facts, boolean reencode)
      throws HarFormatException {
    List<Header> headers = headers(res.get("headers"));
    int status = (int) res.get("status").whole(0, 0, 999);
    HarNode content = res.get("content").object();
    byte[] bytes = new byte[0];
    String wire = facts.get("wire").text(null);
    if (wire != null) {
      bytes = decodeText(wire, "base64", facts.get("wire"));
    } else {
      String text = content.get("text").text(null);
      if (text != null) {
        bytes = decodeText(text, content.get("encoding").text(null), content.get("text"));
        String coding = ContentCoding.of(headers);
        if (reencode && coding != null) {
          byte[] encoded = ContentCoding.encode(bytes, coding);
          bytes = encoded == null ? bytes : encoded;
        }
      }
    }
    Body body = body(bytes, res.get("bodySize"), facts);
    return new CapturedResponse(status, res.get("statusText").text(""),
        res.get("httpVersion").text(""), headers, body);
  }

  private Body body(byte[] bytes, HarNode harSize, HarNode facts) throws HarFormatException {
    long size = bytes.length;
    boolean truncated = false;
    if (bytes.length > maxBody) {
      bytes = Arrays.copyOf(bytes, maxBody);
      truncated = true;
    }
    if (!facts.absent()) {
      size = facts.get("size").whole(size, 0, Long.MAX_VALUE);
      truncated = facts.get("truncated").bool(truncated);
    } else if (bytes.length == 0) {
      size = Math.max(0, harSize.whole(0, -1, Long.MAX_VALUE));
      truncated = size > 0;
    }
    return new Body(bytes, size, truncated);
  }

  private byte[] decodeText(String text, String encoding, HarNode where) throws HarFormatException {
    if (encoding == null || encoding.isEmpty()) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    if (!encoding.equalsIgnoreCase("base64")) {
      throw where.fail("the body uses the unknown encoding \"" + encoding + "\"");
    }
    try {
      boolean spaced = text.chars().anyMatch(Character::isWhitespace);
      return Base64.getDecoder().decode(spaced ? text.replaceAll("\\s+", "") : text);
    } catch (IllegalArgumentException e) {
      throw where.wrong("valid base64");
    }
  }

  private List<Header> headers(HarNode list) throws HarFormatException {
    JsonNode array = list.array();
    List<Header> headers = new ArrayList<>();
    if (array == null) {
      return headers;
    }
    for (int i = 0; i < array.size(); i++) {
      HarNode header = list.at(i).object();
      String name = header.get("name").text(null);
      if (name == null) {
        throw header.get("name").wrong("a header name");
      }
      headers.add(new Header(name, header.get("value").looseText("")));
    }
    return headers;
  }

  private byte[] formBody(HarNode params) throws HarFormatException {
    JsonNode array = params.array();
    StringBuilder form = new StringBuilder();
    for (int i = 0; i < array.size(); i++) {
      HarNode param = params.at(i).object();
      form.append(i == 0 ? "" : "&")
          .append(URLEncoder.encode(param.get("name").looseText(""), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(param.get("value").looseText(""), StandardCharsets.UTF_8));
    }
    return form.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Timings timings(HarNode har) throws HarFormatException {
    if (har.object().absent()) {
      return Timings.NONE;
    }
    Long ssl = har.get("ssl").millis();
    Long connect = har.get("connect").millis();
    if (connect != null && ssl != null) {
      connect = Math.max(0, connect - ssl);
    }
    return new Timings(har.get("dns").millis(), connect, ssl, null, har.get("wait").millis(),
        har.get("receive").millis());
  }

  private static FlowKind kind(HarNode own) throws HarFormatException {
    String wire = own.text(null);
    try {
      return FlowKind.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw own.wrong("one of http, https-decrypted, https-tunnel, https-rejected, error");
    }
  }

  private static Instant instant(HarNode node) throws HarFormatException {
    String text = node.text(null);
    if (text == null) {
      return Instant.EPOCH;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException again) {
        throw node.wrong("an ISO 8601 date and time");
      }
    }
  }

  private static String hostOf(String authority) {
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? null : host;
  }

  private static int portOf(String scheme, String port) {
    if (port != null) {
      int value = Integer.parseInt(port);
      return value <= 65535 ? value : 0;
    }
    return switch (scheme.toLowerCase(Locale.ROOT)) {
      case "https", "wss" -> 443;
      case "http", "ws" -> 80;
      default -> 0;
    };
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
