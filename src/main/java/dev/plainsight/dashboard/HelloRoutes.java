package dev.plainsight.dashboard;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowStore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.plainsight.tls.Fingerprints;
import dev.plainsight.tls.HelloAnatomy;
import dev.plainsight.tls.HelloField;
import dev.plainsight.tls.HelloRecord;
import dev.plainsight.tls.TlsObservation;
import io.javalin.config.RoutesConfig;
import io.javalin.http.NotFoundResponse;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handshake byte by byte. {@code GET /api/flows/{id}/hello/client} and {@code /hello/server}
 * answer the hellos between the client and whoever answered it (the proxy when intercepted, the
 * server in a tunnel); {@code /hello/upstream/client} and {@code /hello/upstream/server} the
 * proxy's own handshake with the server of an intercepted flow. Each answers {@code {"direction",
 * "side", "recordHex", "header", "problem", "fields"}} where {@code fields} is the {@link
 * HelloAnatomy} tree: groups have {@code children}, leaves tile {@code recordHex} exactly. A flow
 * without that hello, or stored before hello bytes were kept, answers 404 with a one-line reason.
 */
final class HelloRoutes {
  private HelloRoutes() {}

  static void add(RoutesConfig routes, FlowStore store) {
    routes.get("/api/flows/{id}/hello/client",
        ctx -> ctx.json(hello(Dashboard.flow(ctx, store), false, true)));
    routes.get("/api/flows/{id}/hello/server",
        ctx -> ctx.json(hello(Dashboard.flow(ctx, store), false, false)));
    routes.get("/api/flows/{id}/hello/upstream/client",
        ctx -> ctx.json(hello(Dashboard.flow(ctx, store), true, true)));
    routes.get("/api/flows/{id}/hello/upstream/server",
        ctx -> ctx.json(hello(Dashboard.flow(ctx, store), true, false)));
  }

  /**
   * The client's JA3 and JA4, from the ClientHello it sent (GREASE removed): {@code ja3}, {@code
   * ja3String}, {@code ja4}, {@code ja4Raw}; empty when no ClientHello bytes were kept.
   */
  static Map<String, Object> fingerprints(Flow flow) {
    TlsObservation side = flow.wire() == null ? null : flow.wire().clientSide();
    HelloRecord record = side == null ? null : side.clientHelloRecord();
    Fingerprints f = record == null ? null : Fingerprints.of(record.bytes());
    Map<String, Object> json = new LinkedHashMap<>();
    if (f != null) {
      json.put("ja3", f.ja3());
      json.put("ja3String", f.ja3String());
      json.put("ja4", f.ja4());
      json.put("ja4Raw", f.ja4Raw());
    }
    return json;
  }

  /** Leaves hello bytes out of a flow's JSON: they are answered by these routes alone. */
  @JsonIgnoreProperties({"clientHelloRecord", "serverHelloRecord"})
  abstract static class WithoutHelloBytes {}

  static Map<String, Object> hello(Flow flow, boolean upstream, boolean client) {
    String which = (upstream ? "the proxy's " : "") + (client ? "ClientHello" : "ServerHello");
    TlsObservation side = flow.wire() == null ? null
        : upstream ? flow.wire().serverSide() : flow.wire().clientSide();
    if (side == null) {
      throw new NotFoundResponse("flow " + flow.id() + " has no " + (upstream
          ? "TLS connection from the proxy to the server (not intercepted)"
          : "TLS connection from the client (" + flow.kind().wire() + ")"));
    }
    HelloRecord record = client ? side.clientHelloRecord() : side.serverHelloRecord();
    boolean seen = client ? side.clientHello() != null : side.serverHello() != null;
    if (record == null) {
      throw new NotFoundResponse(seen
          ? "flow " + flow.id() + " was stored before Plainsight kept the bytes of hellos"
          : "no " + which + " was seen in clear on flow " + flow.id());
    }
    byte[] bytes = record.bytes();
    HelloAnatomy.Tree tree = HelloAnatomy.read(bytes, record.header());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("direction", client ? "client" : "server");
    json.put("side", upstream ? "upstream" : "client");
    json.put("recordHex", HexFormat.of().formatHex(bytes));
    json.put("header", record.header());
    json.put("problem", tree.problem());
    json.put("fields", fields(tree.fields()));
    return json;
  }

  private static List<Map<String, Object>> fields(List<HelloField> fields) {
    return fields.stream().map(HelloRoutes::field).toList();
  }

  private static Map<String, Object> field(HelloField field) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("offset", field.offset());
    json.put("length", field.length());
    json.put("name", field.name());
    if (field.value() != null || field.isLeaf()) {
      json.put("value", field.value());
    }
    if (field.about() != null) {
      json.put("about", field.about());
    }
    if (!field.isLeaf()) {
      json.put("children", fields(field.children()));
    }
    return json;
  }
}
