package dev.plainsight.store;

import dev.plainsight.flow.StoredSession;

/** What an import made: the new session, how many flows it holds, and who wrote the HAR. */
public record HarImportResult(StoredSession session, int flows, String creator) {}
