package dev.berth.engine.image;

import dev.berth.engine.oci.Digest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One image in the local cache. Its id is the digest of its config blob, as with Docker; the
 * config and manifest bytes themselves live in the content store under their digests. Tags are
 * not part of the record: they live in the store's one tag index, so moving a tag from one image
 * to another is a single atomic write.
 *
 * @param id               digest of the image config (Docker's image ID)
 * @param manifestDigest   digest of the platform manifest it was pulled or built as; null for an
 *                         image that never had one (e.g. loaded from a docker-save archive)
 * @param manifestMediaType media type of that manifest (OCI or Docker v2s2)
 * @param layers           compressed layer blobs as the manifest lists them (may be absent from the
 *                         content store once unpacked, then a push recompresses)
 * @param diffIds          uncompressed layer digests, bottom first: what snapshots are keyed by
 * @param size             bytes of all layers unpacked (what {@code docker images} shows)
 * @param created          the config's {@code created} time, or null
 * @param added            when this engine first stored the image
 */
public record ImageRecord(Digest id, Digest manifestDigest, String manifestMediaType, List<Digest> layers,
                          List<Digest> diffIds, long size, Instant created, Instant added) {

    public ImageRecord {
        Objects.requireNonNull(id, "id");
        layers = layers == null ? List.of() : List.copyOf(layers);
        diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
        added = added == null ? Instant.now() : added;
    }
}
