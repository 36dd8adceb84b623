package dev.plainsight.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Typed, path-aware reading of a HAR tree: missing or null fields give the fallback, a field of
 * the wrong type, or a number out of range, gives a {@link HarFormatException} that names the
 * field ("entry 3: response.status must be a whole number from 0 to 999, not \"abc\"").
 */
final class HarNode {
  private static final double MAX_MILLIS = 1e12;

  private final JsonNode node;
  private final String where;
  private final String path;

  HarNode(JsonNode node, String where, String path) {
    this.node = node == null ? MissingNode.getInstance() : node;
    this.where = where;
    this.path = path;
  }

  HarNode get(String field) {
    return new HarNode(node.isObject() ? node.get(field) : null, where,
        path.isEmpty() ? field : path + "." + field);
  }

  boolean absent() {
    return node.isMissingNode() || node.isNull();
  }

  JsonNode raw() {
    return node;
  }

  HarNode object() throws HarFormatException {
    if (!absent() && !node.isObject()) {
      throw wrong("an object");
    }
    return this;
  }

  JsonNode array() throws HarFormatException {
    if (absent()) {
      return null;
    }
    if (!node.isArray()) {
      throw wrong("an array");
    }
    return node;
  }

  HarNode at(int index) {
    return new HarNode(node.get(index), where, path + "[" + index + "]");
  }

  String text(String fallback) throws HarFormatException {
    if (absent()) {
      return fallback;
    }
    if (!node.isTextual()) {
      throw wrong("a string");
    }
    return node.textValue();
  }

  /** A string, or the text of a number or boolean (some tools write header values that way). */
  String looseText(String fallback) throws HarFormatException {
    if (absent()) {
      return fallback;
    }
    if (node.isValueNode() && !node.isBinary()) {
      return node.asText();
    }
    throw wrong("a string");
  }

  boolean bool(boolean fallback) throws HarFormatException {
    if (absent()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw wrong("true or false");
    }
    return node.booleanValue();
  }

  long whole(long fallback, long min, long max) throws HarFormatException {
    if (absent()) {
      return fallback;
    }
    String range = "a whole number from " + min + " to " + max;
    if (!node.isNumber()) {
      throw wrong(range);
    }
    double value = node.asDouble();
    if (!node.canConvertToLong() || Double.isNaN(value) || value < min || value > max
        || value != Math.rint(value)) {
      throw wrong(range);
    }
    return node.asLong();
  }

  /** Milliseconds: null when absent or negative (HAR's -1, "does not apply"). */
  Long millis() throws HarFormatException {
    if (absent()) {
      return null;
    }
    if (!node.isNumber()) {
      throw wrong("a number of milliseconds");
    }
    double value = node.asDouble();
    if (Double.isNaN(value) || Double.isInfinite(value) || value > MAX_MILLIS) {
      throw wrong("a number of milliseconds below " + (long) MAX_MILLIS);
    }
    return value < 0 ? null : Math.round(value);
  }

  HarFormatException wrong(String expected) {
    return fail(path + " must be " + expected + ", not " + shown());
  }

  HarFormatException fail(String problem) {
    return new HarFormatException(where + ": " + problem);
  }

  private String shown() {
    String text = node.toString();
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
