package dev.plainsight.store;

import dev.plainsight.flow.FlowStore;
import dev.plainsight.flow.StoredSession;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plainsight.flow.Flow;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Reads a HAR 1.2 log (Chromium DevTools, Firefox, mitmproxy, or Plainsight's own export) into a
 * new session, one entry at a time, so a large file is imported in bounded memory. Anything that
 * is not a HAR, or an entry with a field of the wrong type, gives a {@link HarFormatException}
 * that says where; the partly imported session is then deleted. Bodies over the cap are kept
 * truncated. Each entry is read under {@link HarEntryTree}'s limits (headers, cookies and text per
 * message, values per entry), checked while it streams in.
 */
public final class HarImporter {
  public static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final FlowStore store;
  private final HarEntryReader reader;
  private final JsonFactory factory;
  private final HarEntryTree entries;

  public HarImporter(FlowStore store) {
    this(store, DEFAULT_MAX_BODY);
  }

  public HarImporter(FlowStore store, int maxBodyBytes) {
    this.store = store;
    this.reader = new HarEntryReader(FlowCodec.JSON, maxBodyBytes);
    this.factory = FlowCodec.JSON.getFactory().copy()
        .setStreamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxNumberLength(64)
            .maxStringLength(maxString(maxBodyBytes))
            .build());
    this.entries = new HarEntryTree(maxString(maxBodyBytes) + 1024L * 1024);
    this.factory.setCodec(FlowCodec.JSON);
  }

  private static int maxString(int maxBodyBytes) {
    return Math.max(1_000_000, maxBodyBytes / 3 * 4 + 4);
  }

  /** Imports into a new session named {@code sessionName} (or "HAR import" and the time). */
  public HarImportResult importHar(InputStream in, String sessionName)
      throws HarFormatException, IOException {
    Import run = new Import(sessionName);
    try (JsonParser parser = factory.createParser(in)) {
      run.top(parser);
    } catch (StreamConstraintsException e) {
      run.abandon();
      throw new HarFormatException("the HAR file goes past a safety limit: "
          + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      run.abandon();
      JsonLocation at = e.getLocation();
      throw new HarFormatException("not valid JSON: " + e.getOriginalMessage()
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
          e);
    } catch (HarFormatException | IOException | RuntimeException e) {
      run.abandon();
      throw e;
    }
    return run.finish();
  }

  /** One import run: the session is made at the first entry. */
  private final class Import {
    private final String sessionName;
    private StoredSession session;
    private String creator = "";
    private int flows;

    Import(String sessionName) {
      this.sessionName = sessionName;
    }

    void top(JsonParser p) throws IOException, HarFormatException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new HarFormatException("not a HAR file: it does not start with a JSON object");
      }
      boolean sawLog = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("log")) {
          if (value != JsonToken.START_OBJECT) {
            throw new HarFormatException("not a HAR file: \"log\" must be an object");
          }
          log(p);
          sawLog = true;
        } else {
          p.skipChildren();
        }
      }
      if (!sawLog) {
        throw new HarFormatException("not a HAR file: there is no \"log\" object at the top level");
      }
    }

    private void log(JsonParser p) throws IOException, HarFormatException {
      boolean sawEntries = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "entries" -> {
            if (value != JsonToken.START_ARRAY) {
              throw new HarFormatException("not a HAR file: \"log.entries\" must be an array");
            }
            entries(p);
            sawEntries = true;
          }
          case "creator" -> creator(p.readValueAsTree());
          default -> p.skipChildren();
        }
      }
      if (!sawEntries) {
        throw new HarFormatException("not a HAR file: \"log\" has no \"entries\" array");
      }
    }

    private void entries(JsonParser p) throws IOException, HarFormatException {
      int index = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        JsonNode entry = entries.read(p, "entry " + index);
        Flow flow = reader.flow(entry, "entry " + index, session().id());
        store.addWaiting(flow);
        flows++;
        index++;
      }
    }

    private void creator(JsonNode node) {
      if (node != null && node.isObject()) {
        JsonNode name = node.get("name");
        JsonNode version = node.get("version");
        creator = ((name != null && name.isTextual() ? name.textValue() : "") + " "
            + (version != null && version.isTextual() ? version.textValue() : "")).trim();
      }
    }

    private StoredSession session() {
      if (session == null) {
        session = store.sessions().create(sessionName == null || sessionName.isBlank()
            ? "HAR import " + NAME.format(LocalDateTime.now()) : sessionName);
      }
      return session;
    }

    HarImportResult finish() {
      StoredSession made = session();
      store.flush();
      return new HarImportResult(store.sessions().find(made.id()).orElse(made), flows, creator);
    }

    void abandon() {
      if (session != null) {
        try {
          store.sessions().delete(session.id());
        } catch (RuntimeException ignored) {
          // the import already failed; the session can still be deleted by hand
        }
      }
    }
  }
}
