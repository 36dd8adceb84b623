package dev.plainsight.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plainsight.flow.DnsLookup;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.Modification;
import dev.plainsight.flow.WebSocketMessage;
import dev.plainsight.flow.WireObservations;
import dev.plainsight.tls.TlsObservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detail column is written straight from the record (for the writer's speed); it must be the
 * very JSON that the plain way gives: the whole flow as a tree, the columns' fields and empty
 * lists removed, and on a known connection its facts moved out and named in {@code
 * fromConnection}. {@link #reference} is that plain way, kept here as the definition.
 */
class FlowDetailEncodingTest {
  private static final DnsLookup DNS = new DnsLookup("shop.example", List.of("192.0.2.7"), 4L);

  static Stream<Flow> flows() throws Exception {
    TlsObservation chromium = HelloBytesStorageTest.observed("client-hello-chromium.bin");
    TlsObservation curl = HelloBytesStorageTest.observed("client-hello-curl.bin");
    Flow https = Flows.fullHttps("s");
    List<Flow> all = new ArrayList<>();
    for (Long connection : new Long[] {null, 7L}) {
      all.add(https.withConnection(connection));
      all.add(with(https, new WireObservations(DNS, chromium, curl, 3L, null), connection));
      all.add(with(https, new WireObservations(DNS, chromium, null), connection));
      all.add(with(https, new WireObservations(DNS, null, null, null, "proxy.venue:3128"),
          connection));
      all.add(with(https, new WireObservations(null, null, curl), connection));
      all.add(Flows.http("s", "shop.example", "/a", "hello").withConnection(connection));
      all.add(Flows.tunnel("s", "shop.example").withConnection(connection));
      all.add(HelloBytesStorageTest.tunnel(chromium).withConnection(connection));
      all.add(new FlowBuilder().session("s").kind(https.kind()).startedAt(Flows.T0)
          .modifications(List.of(new Modification("r1", "header", "a", "b")))
          .connection(connection).build()
          .withMessages(List.of(new WebSocketMessage(Instant.EPOCH, true,
              WebSocketMessage.TEXT, 2, new byte[] {'h', 'i'}, false))));
    }
    return all.stream();
  }

  private static Flow with(Flow flow, WireObservations wire, Long connection) {
    return flow.withConnectionFacts(flow.tls(), wire).withConnection(connection);
  }

  @ParameterizedTest
  @MethodSource("flows")
  void theDetailIsTheJsonThePlainWayGives(Flow flow) throws Exception {
    JsonNode fast = FlowCodec.JSON.readTree(DetailPacking.unpack(FlowCodec.encode(flow)));
    // both read from text, so that numbers compare by value, not by the node type of a tree
    JsonNode plain = FlowCodec.JSON.readTree(FlowCodec.JSON.writeValueAsBytes(reference(flow)));
    assertEquals(plain, fast);
  }

  @ParameterizedTest
  @MethodSource("flows")
  void theDetailReadsBackAsTheFlowWithoutItsConnectionsFacts(Flow flow) throws Exception {
    JsonNode detail = FlowCodec.JSON.readTree(DetailPacking.unpack(FlowCodec.encode(flow)));
    assertFalse(detail.has("id") || detail.has("session"));
    if (flow.connection() != null && flow.tls() != null) {
      assertFalse(detail.has("tls"));
      assertTrue(detail.get(FlowCodec.FROM_CONNECTION).toString().contains("\"tls\""));
    }
  }

  /** The detail column as defined: the flow's tree, trimmed. */
  static JsonNode reference(Flow flow) {
    ObjectNode tree = FlowCodec.STORED.valueToTree(flow);
    tree.remove(List.of("id", "session"));
    for (String list : List.of("messages", "modifications")) {
      if (tree.path(list).isArray() && tree.path(list).isEmpty()) {
        tree.remove(list);
      }
    }
    if (flow.connection() == null) {
      return tree;
    }
    ArrayNode shared = tree.arrayNode();
    if (tree.get("wire") instanceof ObjectNode wire) {
      boolean connectionWire = wire.has("clientSide");
      for (String side : List.of("clientSide", "serverSide")) {
        if (wire.remove(side) != null) {
          shared.add(side);
        }
      }
      if (connectionWire && wire.remove("dns") != null) {
        shared.add("dns");
      }
    }
    if (tree.remove("tls") != null) {
      shared.add("tls");
    }
    if (!shared.isEmpty()) {
      tree.set(FlowCodec.FROM_CONNECTION, shared);
    }
    return tree;
  }
}
