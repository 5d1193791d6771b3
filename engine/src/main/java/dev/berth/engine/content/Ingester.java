package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;

import java.util.List;

/** Writes new blobs through named, resumable ingests. */
public interface Ingester {

    /**
     * Opens the ingest named {@code ref} (e.g. {@code pull-docker.io/library/busybox-sha256:...}),
     * resuming it if an earlier writer left bytes behind: {@link Writer#offset()} says how many.
     * Bytes left by an ingest that expected a different digest are discarded first.
     *
     * @param ref          names the ingest; any string, it never becomes a path as is
     * @param expectedSize the blob's size if known, else -1
     * @param expected     the blob's digest if known, else null
     * @throws dev.berth.engine.errors.EngineException.Conflict when another writer holds {@code ref}
     */
    Writer writer(String ref, long expectedSize, Digest expected);

    /**
     * Stores a small blob held in memory (an image config, a manifest) in one call and returns its digest;
     * a blob already stored is left as it is. This default goes through the ingest {@code ref}.
     *
     * @param expected the blob's digest if known (the bytes are checked against it), else null
     * @throws dev.berth.engine.errors.EngineException.InvalidArgument when the bytes do not have that digest
     *         (nothing is stored)
     */
    default Digest put(String ref, byte[] bytes, Digest expected) {
        try (Writer w = writer(ref, bytes.length, expected)) {
            if (w.offset() > 0) {
                w.truncate(0);
            }
            w.write(bytes);
            return w.commit(bytes.length, expected);
        }
    }

    /** The ingests in progress or abandoned (not yet committed). */
    List<IngestStatus> ingests();

    /**
     * Discards the ingest {@code ref} and its bytes.
     *
     * @throws dev.berth.engine.errors.EngineException.NotFound when there is no such ingest
     * @throws dev.berth.engine.errors.EngineException.Conflict when a writer holds it
     */
    void abort(String ref);
}
