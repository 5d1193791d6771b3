package dev.berth.engine.snapshot;

import dev.berth.engine.oci.Digest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs as the OCI image spec defines them: the chain ID of a layer names the layer
 * together with every layer below it, so one unpacked snapshot serves every image that
 * starts with the same layers. {@code ChainID(L0) = DiffID(L0)},
 * {@code ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))}.
 */
public final class ChainIds {

    private ChainIds() {}

    /** The chain ID of a layer with DiffID {@code diffId} on top of the chain {@code parent} (null for the first layer). */
    public static Digest next(Digest parent, Digest diffId) {
        if (parent == null) {
            return diffId;
        }
        return Digest.sha256((parent + " " + diffId).getBytes(StandardCharsets.UTF_8));
    }

    /** The chain ID of every layer of an image, bottom first, from its DiffIDs ({@code rootfs.diff_ids}). */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest chain = null;
        for (Digest d : diffIds) {
            chain = next(chain, d);
            out.add(chain);
        }
        return List.copyOf(out);
    }

    /** The chain ID of the whole stack (of its top layer); empty input has none. */
    public static Digest top(List<Digest> diffIds) {
        List<Digest> all = of(diffIds);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("an image without layers has no chain ID");
        }
        return all.getLast();
    }
}
