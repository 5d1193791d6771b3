package dev.berth.engine.layer;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Applies one layer (a tar stream, gzip-, zstd- or un-compressed) to an empty snapshot
 * directory in overlayfs form, computing the layer's DiffID on the way.
 *
 * <p>Contract: the layer is read exactly once, as it arrives, never buffered whole. When
 * {@code apply} throws, the snapshot directory holds a partial layer and the caller must
 * discard it; nothing outside the directory has been created or changed.
 */
public interface LayerApplier {

    /**
     * Extracts {@code layer} into {@code snapshotDir}.
     *
     * @param layer the layer blob as stored or as it comes from the registry (compression is detected)
     * @param snapshotDir an existing, empty directory owned by this extraction
     * @param layerName how errors name the layer (e.g. its blob digest)
     * @return the DiffID and sizes of what was applied
     * @throws dev.berth.engine.errors.EngineException.InvalidArgument for a malformed layer or an entry that would
     *         escape the directory (the message names the entry and the layer)
     * @throws dev.berth.engine.errors.EngineException.Unavailable when the layer cannot be read or the disk written
     */
    ApplyResult apply(InputStream layer, Path snapshotDir, String layerName);

    /** As {@link #apply(InputStream, Path, String)}, naming the layer "layer". */
    default ApplyResult apply(InputStream layer, Path snapshotDir) {
        return apply(layer, snapshotDir, "layer");
    }

    /** The applier that writes overlayfs whiteouts and opaque markers. */
    static LayerApplier overlay() {
        return new OverlayApplier();
    }
}
