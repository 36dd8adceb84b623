package dev.plainsight.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.Header;
import dev.plainsight.replay.CurlCommand;
import dev.plainsight.replay.ReplayRequest;
import dev.plainsight.replay.Replayer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-sending and exporting captured requests. {@code POST /api/flows/{id}/replay} sends the
 * request again through the proxy (the body may hold an edited {@code method}, {@code url},
 * {@code headers} [{name, value}] and {@code body} text; what it leaves out is taken from the
 * flow) and answers {@code {"flow": newId, "status": ..., "replayOf": id}}. {@code GET
 * /api/flows/{id}/curl} answers the request as a curl command line (text).
 */
final class ReplayRoutes {
  private ReplayRoutes() {}

  static void add(RoutesConfig routes, FlowStore store, Replayer replayer, ObjectMapper json) {
    routes.get("/api/flows/{id}/curl", ctx -> {
      Flow flow = Dashboard.flow(ctx, store);
      if (flow.request() == null) {
        throw new ConflictResponse("this flow has no request to copy (" + flow.kind().wire() + ")");
      }
      try {
        ctx.contentType("text/plain; charset=utf-8").result(CurlCommand.of(flow.request()) + "\n");
      } catch (IllegalArgumentException e) {
        throw new ConflictResponse("this request cannot be copied as curl: " + e.getMessage());
      }
    });
    routes.post("/api/flows/{id}/replay", ctx -> {
      Flow flow = Dashboard.flow(ctx, store);
      if (flow.request() == null) {
        throw new ConflictResponse("this flow has no request to replay (" + flow.kind().wire()
            + "): nothing but its connection was seen");
      }
      ReplayRequest request = request(ctx, flow, json);
      Replayer.Outcome outcome;
      try {
        outcome = replayer.replay(request, flow.id());
      } catch (IllegalArgumentException e) {
        throw new BadRequestResponse("cannot send this request: " + e.getMessage());
      } catch (IOException e) {
        throw new HttpResponseException(HttpStatus.BAD_GATEWAY.getCode(),
            "the replay through the proxy failed: " + e.getMessage());
      }
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("flow", outcome.flowId());
      answer.put("status", outcome.status());
      answer.put("replayOf", flow.id());
      if (outcome.note() != null) {
        answer.put("note", outcome.note());
      }
      ctx.status(201).json(answer);
    });
  }

  private static ReplayRequest request(Context ctx, Flow flow, ObjectMapper json) {
    JsonNode edit = JsonBodies.object(ctx, json,
        "{\"method\", \"url\", \"headers\": [{\"name\", \"value\"}], \"body\"}");
    try {
      if (edit == null || edit.isEmpty()) {
        return ReplayRequest.of(flow.request());
      }
      String method = text(edit, "method", flow.request().method());
      String url = text(edit, "url", flow.request().url());
      List<Header> headers = edit.has("headers") ? headers(edit.get("headers"))
          : flow.request().headers();
      byte[] body = edit.has("body") && !edit.get("body").isNull()
          ? edit.get("body").asText().getBytes(StandardCharsets.UTF_8)
          : ReplayRequest.of(flow.request()).body();
      return new ReplayRequest(method, url, headers, body);
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ConflictResponse(e.getMessage());
    }
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? fallback : value.asText();
  }

  private static List<Header> headers(JsonNode array) {
    if (!array.isArray()) {
      throw new IllegalArgumentException("headers must be a list of {\"name\", \"value\"}");
    }
    List<Header> out = new ArrayList<>();
    for (JsonNode node : array) {
      String name = text(node, "name", "").trim();
      if (name.isEmpty()) {
        continue;
      }
      String value = text(node, "value", "");
      if (value.contains("\n") || value.contains("\r")) {
        throw new IllegalArgumentException("header " + name + ": a value cannot span lines");
      }
      out.add(new Header(name, value));
    }
    return out;
  }
}
