package dev.plainsight.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads one HAR entry from a streaming parser into a tree, enforcing per-entry limits as the
 * tokens arrive, so a hostile entry is refused before it is held in memory: at most {@value
 * #MAX_HEADERS} headers and {@value #MAX_COOKIES} cookies per message, at most {@code
 * maxMessageChars} characters of text (names and strings) in the request and in the response each,
 * and at most {@value #MAX_VALUES} JSON values in the whole entry. A limit passed is a {@link
 * HarFormatException} naming the entry, the field and the limit. Call {@link #read} with the
 * parser on the entry's first token.
 */
final class HarEntryTree {
  static final int MAX_HEADERS = 1_000;
  static final int MAX_COOKIES = 1_000;
  static final int MAX_VALUES = 200_000;

  private final long maxMessageChars;

  HarEntryTree(long maxMessageChars) {
    this.maxMessageChars = maxMessageChars;
  }

  JsonNode read(JsonParser p, String where) throws IOException, HarFormatException {
    return new Run(where).value(p, "");
  }

  private final class Run {
    private final String where;
    private int values;
    private long messageChars;

    Run(String where) {
      this.where = where;
    }

    JsonNode value(JsonParser p, String path) throws IOException, HarFormatException {
      if (++values > MAX_VALUES) {
        throw new HarFormatException(where + ": more than " + MAX_VALUES
            + " JSON values in one entry (the limit per entry)");
      }
      JsonNodeFactory nodes = JsonNodeFactory.instance;
      return switch (p.currentToken()) {
        case START_OBJECT -> object(p, path);
        case START_ARRAY -> array(p, path);
        case VALUE_STRING -> {
          count(path, p.getTextLength());
          yield nodes.textNode(p.getText());
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.readValueAsTree();
        case VALUE_TRUE -> nodes.booleanNode(true);
        case VALUE_FALSE -> nodes.booleanNode(false);
        case VALUE_NULL -> nodes.nullNode();
        default -> throw new HarFormatException(where + ": unexpected " + p.currentToken()
            + " at " + (path.isEmpty() ? "the entry" : path));
      };
    }

    private ObjectNode object(JsonParser p, String path) throws IOException, HarFormatException {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        String child = path.isEmpty() ? name : path + "." + name;
        if (path.isEmpty() && (name.equals("request") || name.equals("response"))) {
          messageChars = 0;
        }
        count(child, name.length());
        p.nextToken();
        object.set(name, value(p, child));
      }
      return object;
    }

    private ArrayNode array(JsonParser p, String path) throws IOException, HarFormatException {
      int limit = limitFor(path);
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (array.size() == limit) {
          throw new HarFormatException(where + ": " + path + " has more than " + limit + " "
              + path.substring(path.indexOf('.') + 1) + " (the limit per message)");
        }
        array.add(value(p, path + "[]"));
      }
      return array;
    }

    private int limitFor(String path) {
      return switch (path) {
        case "request.headers", "response.headers" -> MAX_HEADERS;
        case "request.cookies", "response.cookies" -> MAX_COOKIES;
        default -> Integer.MAX_VALUE;
      };
    }

    private void count(String path, long chars) throws HarFormatException {
      if (!path.startsWith("request.") && !path.startsWith("response.")) {
        return;
      }
      messageChars += chars;
      if (messageChars > maxMessageChars) {
        String message = path.substring(0, path.indexOf('.'));
        throw new HarFormatException(where + ": the " + message + " holds more than "
            + maxMessageChars + " characters of text (the limit per message)");
      }
    }
  }
}
