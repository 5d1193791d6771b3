package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;

import java.time.Instant;

/**
 * An ingest not yet committed.
 *
 * @param ref          the name the writer was opened with
 * @param offset       bytes written so far
 * @param expectedSize the announced size, or -1
 * @param expected     the announced digest, or null
 * @param updatedAt    when bytes were last written
 * @param active       whether a writer holds it now
 */
public record IngestStatus(String ref, long offset, long expectedSize, Digest expected, Instant updatedAt,
                           boolean active) {
}
