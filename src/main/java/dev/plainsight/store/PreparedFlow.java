package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A queued flow with the parts of its insert that need no database already made: the packed
 * detail record, the searchable text (null without full-text search), the captured body bytes and
 * their SHA-256 digests (null for an empty body), the host and method as the summary row keeps
 * them. {@code failure} is set instead when the flow could not be prepared; inserting it then
 * fails with that error, so the writer counts it like any flow it could not store.
 */
record PreparedFlow(Flow flow, byte[] detail, String text, byte[] requestBody,
    byte[] requestDigest, byte[] responseBody, byte[] responseDigest, String host, String method,
    RuntimeException failure) {

  /** {@code sha256}: the calling thread's own digest (a MessageDigest is not thread-safe). */
  static PreparedFlow of(Flow flow, boolean fullText, MessageDigest sha256) {
    try {
      byte[] request = FlowCodec.requestBytes(flow);
      byte[] response = FlowCodec.responseBytes(flow);
      return new PreparedFlow(flow, FlowCodec.encode(flow), fullText ? Texts.ofFlow(flow) : null,
          request, digest(request, sha256), response, digest(response, sha256),
          flow.host() == null ? null : flow.host().toLowerCase(Locale.ROOT),
          flow.method() == null ? null : flow.method().toUpperCase(Locale.ROOT), null);
    } catch (RuntimeException e) {
      return new PreparedFlow(flow, null, null, null, null, null, null, null, null, e);
    }
  }

  static List<Flow> flows(List<PreparedFlow> prepared) {
    List<Flow> flows = new ArrayList<>(prepared.size());
    for (PreparedFlow p : prepared) {
      flows.add(p.flow());
    }
    return flows;
  }

  private static byte[] digest(byte[] bytes, MessageDigest sha256) {
    return bytes.length == 0 ? null : sha256.digest(bytes);
  }
}
