package dev.berth.engine.snapshot;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.ApplyResult;
import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unpacks an image's layers into committed snapshots keyed by chain ID, each layer once: a
 * layer whose chain ID is already committed is skipped, so every image that shares the first
 * layers shares their snapshots. Each layer goes into its own fresh active snapshot, marked
 * {@linkplain Snapshotter#TRANSIENT_LABEL transient}, and is committed only when the whole
 * stream was applied and its DiffID matched; on any failure the partial snapshot is removed.
 */
public final class Unpacker {

    /** Opens a layer blob (as stored or as downloaded; compression is detected). */
    @FunctionalInterface
    public interface BlobOpener {
        InputStream open() throws IOException;
    }

    /**
     * One layer to unpack.
     *
     * @param diffId the DiffID the image config promises for this layer
     * @param name how errors name the layer (its blob digest)
     * @param blob opens the layer blob; called only when the layer is not unpacked yet
     */
    public record Layer(Digest diffId, String name, BlobOpener blob) {}

    private final Snapshotter snapshots;
    private final LayerApplier applier;
    private final Map<Digest, Object> inFlight = new ConcurrentHashMap<>();

    public Unpacker(Snapshotter snapshots, LayerApplier applier) {
        this.snapshots = snapshots;
        this.applier = applier;
    }

    /**
     * Makes sure every layer of the stack is unpacked and committed.
     *
     * @return the chain ID of the top layer: the parent for a container's active snapshot
     */
    public Digest unpack(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new EngineException.InvalidArgument("an image without layers cannot be unpacked");
        }
        Digest parent = null;
        for (Layer layer : layers) {
            parent = unpack(parent, layer);
        }
        return parent;
    }

    /** Unpacks one layer on top of the chain {@code parent} (null for the first); returns its chain ID. */
    public Digest unpack(Digest parent, Layer layer) {
        Digest chain = ChainIds.next(parent, layer.diffId());
        Object lock = inFlight.computeIfAbsent(chain, c -> new Object());
        synchronized (lock) {
            try {
                if (isCommitted(chain)) {
                    return chain;
                }
                extract(parent, chain, layer);
                return chain;
            } finally {
                inFlight.remove(chain, lock);
            }
        }
    }

    /** The snapshotter the layers are unpacked into (e.g. to diff a committed layer back into a tar). */
    public Snapshotter snapshotter() {
        return snapshots;
    }

    /** Whether the chain is unpacked and committed. */
    public boolean isCommitted(Digest chain) {
        try {
            return snapshots.stat(chain.toString()).kind() == Snapshotter.Kind.COMMITTED;
        } catch (EngineException.NotFound e) {
            return false;
        }
    }

    private void extract(Digest parent, Digest chain, Layer layer) {
        String key = "extract-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + " " + chain;
        Mounts m = snapshots.prepare(key, parent == null ? null : parent.toString(), Map.of(Snapshotter.TRANSIENT_LABEL, "true"));
        boolean committed = false;
        try {
            var dir = m.upperDir().orElseThrow(() -> new IllegalStateException("snapshot " + key + " has no writable dir"));
            ApplyResult r;
            try (InputStream in = layer.blob().open()) {
                r = applier.apply(in, dir, layer.name());
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot read layer " + layer.name() + ": " + e.getMessage(), e);
            }
            if (!r.diffId().equals(layer.diffId())) {
                throw new EngineException.InvalidArgument("layer " + layer.name() + " has DiffID " + r.diffId()
                        + " but the image config says " + layer.diffId());
            }
            try {
                snapshots.commit(chain.toString(), key);
                committed = true;
            } catch (EngineException.AlreadyExists raced) {
                // unpacked meanwhile by someone else: theirs is as good as ours
            }
        } finally {
            if (!committed) {
                try {
                    snapshots.remove(key);
                } catch (EngineException ignored) {
                    // cleanup() on the next start removes a transient snapshot left behind
                }
            }
        }
    }
}
