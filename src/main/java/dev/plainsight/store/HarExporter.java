package dev.plainsight.store;

import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.StoredSession;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.plainsight.flow.Flow;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes one session as a HAR 1.2 log to a stream, a chunk of flows at a time, so a session of
 * any size is exported in bounded memory. Only committed flows are exported: {@link #export}
 * flushes the store's queue first. The stream is not closed.
 */
public final class HarExporter {
  private final FlowStore store;
  private final String creatorVersion;

  public HarExporter(FlowStore store, String creatorVersion) {
    this.store = store;
    this.creatorVersion = creatorVersion == null ? "dev" : creatorVersion;
  }

  /** Throws {@link IllegalArgumentException} when there is no such session. */
  public void export(String sessionId, OutputStream out) throws IOException {
    StoredSession session = store.sessions().find(sessionId)
        .orElseThrow(() -> new IllegalArgumentException("no session " + sessionId));
    store.flush();
    HarEntryWriter entries = new HarEntryWriter(FlowCodec.JSON);
    try (JsonGenerator gen = FlowCodec.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      gen.writeStartObject();
      gen.writeObjectFieldStart("log");
      gen.writeStringField("version", "1.2");
      gen.writeObjectFieldStart("creator");
      gen.writeStringField("name", "Plainsight");
      gen.writeStringField("version", creatorVersion);
      gen.writeEndObject();
      gen.writeStringField("comment", "Plainsight capture session \"" + session.name() + "\"");
      gen.writeObjectFieldStart("_plainsight");
      gen.writeStringField("session", session.id());
      gen.writeStringField("name", session.name());
      gen.writeStringField("startedAt", session.startedAt().toString());
      gen.writeEndObject();
      gen.writeArrayFieldStart("entries");
      try {
        store.forEachFlow(session.id(), flow -> write(gen, entries, flow));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      gen.writeEndArray();
      gen.writeEndObject();
      gen.writeEndObject();
    }
  }

  private static void write(JsonGenerator gen, HarEntryWriter entries, Flow flow) {
    try {
      FlowCodec.JSON.writeTree(gen, entries.entry(flow));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
