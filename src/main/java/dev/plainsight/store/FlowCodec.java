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
import dev.plainsight.flow.Modification;
import dev.plainsight.flow.WebSocketMessage;
import dev.plainsight.flow.Connection;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.tls.TlsObservation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a flow: the whole record as JSON, whatever fields it has, except the body
 * bytes (they live in the bodies table; the JSON keeps each body's size and truncation) and, for
 * a flow on a known connection, its connection's facts: the TLS summary and both TLS
 * observations are left out and named in {@code fromConnection}, and put back from the
 * connection's row when read. A flow without a connection (stored before schema 4, or imported
 * without one) keeps them inline. Unknown fields are ignored when reading, so rows written by
 * older or newer versions still load. The columns hold that JSON packed ({@link DetailPacking}).
 * {@link #JSON} is the same mapping with body bytes (base64)
 * for everything else.
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

  /** {@link #STORED} for the detail column: see {@link DetailFlow}. */
  private static final ObjectMapper DETAIL = STORED.copy().addMixIn(Flow.class, DetailFlow.class);

  /** The field of a stored flow naming the parts its connection's row holds. */
  static final String FROM_CONNECTION = "fromConnection";

  /** {@link #STORED} that also skips WebSocket payloads and hello bytes: for pages of summaries. */
  static final ObjectMapper SUMMARY = STORED.copy()
      .addMixIn(WebSocketMessage.class, WithoutPayload.class)
      .addMixIn(TlsObservation.class, WithoutHelloBytes.class);

  @JsonIgnoreProperties("captured")
  private abstract static class WithoutBytes {}

  /** The detail column's flow: id and session are columns, empty lists are not written. */
  @JsonIgnoreProperties({"id", "session"})
  private abstract static class DetailFlow {
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    abstract List<WebSocketMessage> messages();

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    abstract List<Modification> modifications();
  }

  @JsonIgnoreProperties({"clientHelloRecord", "serverHelloRecord"})
  private abstract static class WithoutHelloBytes {}

  @JsonIgnoreProperties("payload")
  private abstract static class WithoutPayload {}

  /** What a stored flow's row points at in other tables; null where nothing is stored. */
  record StoredParts(byte[] request, byte[] response, byte[] connection) {}

  private FlowCodec() {}

  /**
   * The detail column: the flow without body bytes and, on a known connection, without the facts
   * its connection's row holds. Serialised straight from the record (no tree in between: this
   * runs once per stored flow on the writer thread, and a tree of the connection's TLS
   * observations cost nine tenths of the writer's time).
   */
  static byte[] encode(Flow flow) {
    try {
      if (flow.connection() == null) {
        return DetailPacking.FLOWS.pack(DETAIL.writeValueAsBytes(flow));
      }
      WireObservations wire = flow.wire();
      List<String> shared = new ArrayList<>(4);
      // a flow seeing its connection's TLS sides has its connection's DNS lookup too
      boolean connectionWire = wire.clientSide() != null;
      if (wire.clientSide() != null) {
        shared.add("clientSide");
      }
      if (wire.serverSide() != null) {
        shared.add("serverSide");
      }
      if (connectionWire && wire.dns() != null) {
        shared.add("dns");
      }
      if (flow.tls() != null) {
        shared.add("tls");
      }
      if (shared.isEmpty()) {
        return DetailPacking.FLOWS.pack(DETAIL.writeValueAsBytes(flow));
      }
      Flow own = flow.withConnectionFacts(null, new WireObservations(
          connectionWire ? null : wire.dns(), null, null, wire.connectionOpenedBy(),
          wire.upstreamProxy()));
      return DetailPacking.FLOWS.pack(withFromConnection(DETAIL.writeValueAsBytes(own), shared));
    } catch (IOException | IllegalArgumentException e) {
      throw new StoreException("cannot serialize flow " + flow.id() + ": " + e.getMessage(), e);
    }
  }

  /** The JSON object {@code json} with the field {@link #FROM_CONNECTION} added last. */
  private static byte[] withFromConnection(byte[] json, List<String> shared) {
    int close = json.length - 1;
    while (close > 0 && json[close] != '}') {
      close--;
    }
    StringBuilder field = new StringBuilder(",\"" + FROM_CONNECTION + "\":[");
    for (int i = 0; i < shared.size(); i++) {
      // the names are this class's own field names: plain ASCII, nothing to escape
      field.append(i == 0 ? "\"" : ",\"").append(shared.get(i)).append('"');
    }
    field.append("]}");
    byte[] tail = field.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int start = close > 1 ? 0 : 1; // an empty object takes no comma
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(close + tail.length);
    out.write(json, 0, close);
    out.write(tail, start, tail.length - start);
    return out.toByteArray();
  }

  /** The connections table's detail column: the whole record. */
  static byte[] encodeConnection(Connection connection) {
    try {
      return DetailPacking.CONNECTIONS.pack(STORED.writeValueAsBytes(connection));
    } catch (IOException e) {
      throw new StoreException("cannot serialize connection " + connection.id() + ": "
          + e.getMessage(), e);
    }
  }

  static Connection decodeConnection(byte[] json, long id) {
    try {
      return JSON.readValue(DetailPacking.unpack(json), Connection.class);
    } catch (IOException e) {
      throw new StoreException("connection " + id + " is unreadable in the database: "
          + e.getMessage(), e);
    }
  }

  /**
   * The stored flow without body bytes nor WebSocket payloads (sizes kept), for a page of
   * summaries; {@code id}/{@code session} come from columns, {@code connection} is its
   * connection's row (null: none).
   */
  static Flow decodeSummary(byte[] json, long id, String session) {
    return decodeSummary(json, id, session, null);
  }

  static Flow decodeSummary(byte[] json, long id, String session, byte[] connection) {
    try {
      JsonNode tree = SUMMARY.readTree(DetailPacking.unpack(json));
      Flow flow = SUMMARY.treeToValue(tree, Flow.class).withId(id).withSession(session);
      return withShared(flow, tree.get(FROM_CONNECTION), connection, SUMMARY);
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable(id, e);
    }
  }

  /** The stored flow with its body bytes and connection facts put back. */
  static Flow decode(byte[] json, long id, String session, StoredParts parts) {
    try {
      ObjectNode tree = (ObjectNode) JSON.readTree(DetailPacking.unpack(json));
      putBytes(tree.get("request"), parts.request());
      putBytes(tree.get("response"), parts.response());
      Flow flow = JSON.treeToValue(tree, Flow.class).withId(id).withSession(session);
      return withShared(flow, tree.get(FROM_CONNECTION), parts.connection(), JSON);
    } catch (IOException | ClassCastException | IllegalArgumentException e) {
      throw unreadable(id, e);
    }
  }

  /** The flow with the parts {@code shared} names taken from its connection's row. */
  private static Flow withShared(Flow flow, JsonNode shared, byte[] connection,
      ObjectMapper mapper) throws IOException {
    if (shared == null || !shared.isArray() || connection == null) {
      return flow;
    }
    Connection c = mapper.readValue(DetailPacking.unpack(connection), Connection.class);
    java.util.Set<String> parts = new java.util.HashSet<>();
    shared.forEach(part -> parts.add(part.asText()));
    WireObservations wire = flow.wire();
    return flow.withConnectionFacts(parts.contains("tls") ? c.tls() : flow.tls(),
        new WireObservations(parts.contains("dns") ? c.dns() : wire.dns(),
            parts.contains("clientSide") ? c.clientSide() : wire.clientSide(),
            parts.contains("serverSide") ? c.serverSide() : wire.serverSide(),
            wire.connectionOpenedBy(), wire.upstreamProxy()));
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

  private static StoreException unreadable(long id, Exception e) {
    return new StoreException("flow " + id + " is unreadable in the database: " + e.getMessage(),
        e);
  }
}
