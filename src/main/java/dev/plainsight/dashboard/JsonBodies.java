package dev.plainsight.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

/**
 * Reading the JSON body of a dashboard route: a body that is not JSON, or not the JSON object the
 * route expects, is a 400 with one line saying so ({@link #reason}), never a 500. Dashboard also
 * maps any {@link JsonProcessingException} a route lets through to the same 400.
 */
final class JsonBodies {
  private JsonBodies() {}

  /** The body as a JSON object, or null when it is empty; 400 for anything else. */
  static JsonNode object(Context ctx, ObjectMapper json, String expected) {
    if (ctx.body().isBlank()) {
      return null;
    }
    JsonNode node;
    try {
      node = json.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw new BadRequestResponse(reason(e));
    }
    if (node != null && !node.isNull() && !node.isObject()) {
      throw new BadRequestResponse("expected a JSON object: " + expected);
    }
    return node == null || node.isNull() ? null : node;
  }

  /** One line: what was wrong with the JSON and where. */
  static String reason(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    String at = e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
            + ")";
    return "the body is not the JSON this route expects: " + first + at;
  }
}
