package dev.berth.engine.content;

import dev.berth.engine.oci.Digest;

import java.util.List;

/**
 * What a garbage collection removed.
 *
 * @param removedBlobs   blobs deleted because nothing reachable from the roots named them
 * @param removedIngests refs of abandoned ingests deleted
 * @param bytesFreed     bytes of blobs and ingest data deleted
 */
public record GcResult(List<Digest> removedBlobs, List<String> removedIngests, long bytesFreed) {
    public GcResult {
        removedBlobs = List.copyOf(removedBlobs);
        removedIngests = List.copyOf(removedIngests);
    }
}
