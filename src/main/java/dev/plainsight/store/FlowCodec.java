package dev.plainsight.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.CapturedResponse;
import dev.plainsight.flow.Flow;
import java.io.IOException;

/**
 * The stored form of a flow: the whole record as JSON with the body bytes left out (they live in
 * the bodies table; the JSON keeps each body's size and truncation). Unknown fields are ignored
 * when reading, so rows written by older or newer versions still load.
 */
final class FlowCodec {
  private static final byte[] NONE = new byte[0];
  static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private FlowCodec() {}

  static byte[] encode(Flow flow) {
    try {
      return JSON.writeValueAsBytes(withoutBodyBytes(flow));
    } catch (IOException e) {
      throw new StoreException("cannot serialize flow " + flow.id() + ": " + e.getMessage(), e);
    }
  }

  /** The stored flow, bodies still without bytes; {@code id}/{@code session} come from columns. */
  static Flow decode(byte[] json, long id, String session) {
    try {
      return JSON.readValue(json, Flow.class).withId(id).withSession(session);
    } catch (IOException e) {
      throw new StoreException("flow " + id + " is unreadable in the database: " + e.getMessage(),
          e);
    }
  }

  /** Puts body bytes back (null leaves a body as it is). */
  static Flow withBodyBytes(Flow flow, byte[] requestBytes, byte[] responseBytes) {
    CapturedRequest request = flow.request();
    if (request != null && requestBytes != null) {
      request = request.withBody(withBytes(request.body(), requestBytes));
    }
    CapturedResponse response = flow.response();
    if (response != null && responseBytes != null) {
      response = response.withBody(withBytes(response.body(), responseBytes));
    }
    return replace(flow, request, response);
  }

  /** The flow with every body's bytes dropped (sizes and truncation kept). */
  static Flow withoutBodyBytes(Flow flow) {
    CapturedRequest request = flow.request();
    if (request != null && request.body() != null && request.body().captured().length > 0) {
      request = request.withBody(withBytes(request.body(), NONE));
    }
    CapturedResponse response = flow.response();
    if (response != null && response.body() != null && response.body().captured().length > 0) {
      response = response.withBody(withBytes(response.body(), NONE));
    }
    return request == flow.request() && response == flow.response()
        ? flow : replace(flow, request, response);
  }

  static byte[] requestBytes(Flow flow) {
    return flow.request() == null || flow.request().body() == null
        ? NONE : flow.request().body().captured();
  }

  static byte[] responseBytes(Flow flow) {
    return flow.response() == null || flow.response().body() == null
        ? NONE : flow.response().body().captured();
  }

  private static Body withBytes(Body body, byte[] bytes) {
    return body == null ? new Body(bytes, bytes.length, false)
        : new Body(bytes, body.size(), body.truncated());
  }

  private static Flow replace(Flow f, CapturedRequest request, CapturedResponse response) {
    return new Flow(f.id(), f.session(), f.kind(), f.startedAt(), f.client(), f.method(), f.url(),
        f.host(), f.port(), f.status(), f.requestBytes(), f.responseBytes(), f.durationMs(),
        f.error(), request, response, f.tls(), f.timings());
  }
}
