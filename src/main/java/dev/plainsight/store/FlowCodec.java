package dev.plainsight.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.plainsight.flow.Body;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.WebSocketMessage;
import dev.plainsight.tls.RecordEntry;
import dev.plainsight.tls.TlsObservation;
import java.io.IOException;
import java.util.List;

/**
 * The stored form of a flow: the whole record as JSON, whatever fields it has, except the body
 * bytes (they live in the bodies table; the JSON keeps each body's size and truncation) and the
 * TLS record ladders (they live in the ladders table, shared by a connection's exchanges; rows
 * written before schema 3 still hold them inline and load as they are). Unknown fields are
 * ignored when reading, so rows written by older or newer versions still load. {@link #JSON} is
 * the same mapping with body bytes (base64) for everything else.
 */
final class FlowCodec {
  private static final byte[] NONE = new byte[0];

  static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** {@link #JSON} with {@code Body.captured} left out both ways, and nulls not written. */
  static final ObjectMapper STORED = JSON.copy().addMixIn(Body.class, WithoutBytes.class)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** {@link #STORED} without the TLS record ladders: what the detail column holds. */
  private static final ObjectMapper DETAIL = STORED.copy()
      .addMixIn(TlsObservation.class, WithoutLadder.class);

  /** {@link #STORED} that also skips WebSocket payloads and hello bytes: for pages of summaries. */
  static final ObjectMapper SUMMARY = STORED.copy()
      .addMixIn(WebSocketMessage.class, WithoutPayload.class)
      .addMixIn(TlsObservation.class, WithoutHelloBytes.class);

  @JsonIgnoreProperties("captured")
  private abstract static class WithoutBytes {}

  @JsonIgnoreProperties("ladder")
  private abstract static class WithoutLadder {}

  @JsonIgnoreProperties({"clientHelloRecord", "serverHelloRecord"})
  private abstract static class WithoutHelloBytes {}

  @JsonIgnoreProperties("payload")
  private abstract static class WithoutPayload {}

  /** What a stored flow's row points at in other tables; null where nothing is stored. */
  record StoredParts(byte[] request, byte[] response, byte[] clientLadder, byte[] serverLadder) {}

  private FlowCodec() {}

  /** The detail column: the flow without body bytes and without TLS record ladders. */
  static byte[] encode(Flow flow) {
    try {
      return DETAIL.writeValueAsBytes(flow);
    } catch (IOException e) {
      throw new StoreException("cannot serialize flow " + flow.id() + ": " + e.getMessage(), e);
    }
  }

  static byte[] encodeLadder(List<RecordEntry> ladder) {
    try {
      return JSON.writeValueAsBytes(ladder);
    } catch (IOException e) {
      throw new StoreException("cannot serialize a TLS record ladder: " + e.getMessage(), e);
    }
  }

  /**
   * The stored flow without body bytes nor WebSocket payloads (sizes kept), for a page of
   * summaries; {@code id}/{@code session} come from columns.
   */
  static Flow decodeSummary(byte[] json, long id, String session) {
    try {
      return SUMMARY.readValue(json, Flow.class).withId(id).withSession(session);
    } catch (IOException e) {
      throw unreadable(id, e);
    }
  }

  /**
   * The stored flow with its body bytes and ladders put back (a null body leaves the body empty, a
   * null ladder leaves what the record holds).
   */
  static Flow decode(byte[] json, long id, String session, StoredParts parts) {
    try {
      ObjectNode tree = (ObjectNode) JSON.readTree(json);
      putBytes(tree.get("request"), parts.request());
      putBytes(tree.get("response"), parts.response());
      putLadder(tree.path("wire").get("clientSide"), parts.clientLadder());
      putLadder(tree.path("wire").get("serverSide"), parts.serverLadder());
      return JSON.treeToValue(tree, Flow.class).withId(id).withSession(session);
    } catch (IOException | ClassCastException e) {
      throw unreadable(id, e);
    }
  }

  static byte[] requestBytes(Flow flow) {
    return flow.request() == null || flow.request().body() == null
        ? NONE : flow.request().body().captured();
  }

  static byte[] responseBytes(Flow flow) {
    return flow.response() == null || flow.response().body() == null
        ? NONE : flow.response().body().captured();
  }

  private static void putBytes(JsonNode message, byte[] bytes) {
    if (bytes == null || !(message instanceof ObjectNode m)) {
      return;
    }
    JsonNode body = m.get("body");
    ObjectNode b = body instanceof ObjectNode o ? o
        : m.putObject("body").put("size", bytes.length).put("truncated", false);
    b.put("captured", bytes);
  }

  private static void putLadder(JsonNode side, byte[] ladder) throws IOException {
    if (ladder != null && side instanceof ObjectNode s) {
      s.set("ladder", JSON.readTree(ladder));
    }
  }

  private static StoreException unreadable(long id, Exception e) {
    return new StoreException("flow " + id + " is unreadable in the database: " + e.getMessage(),
        e);
  }
}
