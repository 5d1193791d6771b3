package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Lists, deletes and garbage-collects blobs. */
public interface ContentManager {

    /** How old an untouched ingest must be before {@link #gc(Set, Function)} removes it. */
    Duration DEFAULT_INGEST_EXPIRY = Duration.ofHours(24);

    /** Every committed blob. */
    List<Info> list();

    /**
     * Deletes a blob.
     *
     * @throws dev.berth.engine.errors.EngineException.NotFound when there is no such blob
     */
    void delete(Digest digest);

    /**
     * Mark and sweep: keeps every blob reachable from {@code roots} through {@code children}
     * (for a manifest: its config and layers; for an index: its manifests; for anything else: an
     * empty set), deletes every other blob, and deletes ingests nobody is writing whose bytes
     * were last touched more than {@code ingestExpiry} ago.
     *
     * <p>The caller must keep new blobs from being committed and not yet referenced while this
     * runs (the image store runs it under its own lock), or they will be collected.
     */
    GcResult gc(Set<Digest> roots, Function<Digest, Set<Digest>> children, Duration ingestExpiry);

    /** {@link #gc(Set, Function, Duration)} with {@link #DEFAULT_INGEST_EXPIRY}. */
    default GcResult gc(Set<Digest> roots, Function<Digest, Set<Digest>> children) {
        return gc(roots, children, DEFAULT_INGEST_EXPIRY);
    }
}
