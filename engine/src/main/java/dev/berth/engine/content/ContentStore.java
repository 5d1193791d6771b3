package dev.berth.engine.content;

/**
 * Content-addressed storage of blobs: read ({@link ContentReader}), write through verified
 * ingests ({@link Ingester}) and manage ({@link ContentManager}). Callers that only read take a
 * {@code ContentReader}; the registry client takes an {@code Ingester}.
 */
public interface ContentStore extends ContentReader, Ingester, ContentManager {
}
