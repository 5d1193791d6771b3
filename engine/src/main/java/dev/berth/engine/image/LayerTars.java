package dev.berth.engine.image;

import dev.berth.engine.content.ContentStore;
import dev.berth.engine.content.Writer;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Changeset;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.Snapshotter;
import dev.berth.engine.snapshot.Unpacker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The uncompressed tar of one layer of an image, for push and save when the layer blob its
 * manifest names is not in the content store: the content store's blob under the layer's DiffID
 * when it has one (what {@code docker load} stores), otherwise the layer's committed snapshot
 * diffed back into a tar ({@link Changeset}) and kept only if it hashes to the DiffID. The diff
 * gives the DiffID again for layers Berth wrote itself (commit and build make their tars the same
 * way); for a layer another tool wrote it does not (entry order, headers), and the caller is told
 * so, naming the image and the layer, instead of pushing or saving a layer that contradicts the
 * image config.
 *
 * <p>A regenerated tar is spooled through an ingest of the content store private to the call, hashed
 * while written and checked against the DiffID, read back from that ingest and discarded after use.
 * It is never committed under the DiffID: a blob another push or save of the same layer could find
 * would be deleted under it when this call ends.
 */
public final class LayerTars {

    private static final int BUFFER = 64 * 1024;

    /** Reads one uncompressed layer tar. */
    @FunctionalInterface
    public interface TarReader<T> {
        T read(InputStream tar, long size) throws IOException;
    }

    private final ContentStore content;
    private final Unpacker unpacker;

    public LayerTars(ContentStore content, Unpacker unpacker) {
        this.content = content;
        this.unpacker = unpacker;
    }

    /**
     * Calls {@code reader} with the uncompressed tar of layer {@code index} of {@code image} (its DiffID
     * checked) and returns what it returns.
     *
     * @param missing how the caller says what is missing, e.g. "layer X of image Y is not in the content store"
     * @throws EngineException.FailedPrecondition when the layer is neither stored uncompressed nor unpacked,
     *         or its unpacked files do not give its DiffID again
     */
    public <T> T withTar(ImageRecord image, int index, String missing, String remedy, TarReader<T> reader)
            throws IOException {
        Digest diffId = image.diffIds().get(index);
        if (content.exists(diffId)) {
            try (InputStream in = content.open(diffId)) {
                return reader.read(in, content.info(diffId).size());
            }
        }
        Digest chain = ChainIds.of(image.diffIds()).get(index);
        if (!unpacker.isCommitted(chain)) {
            throw new EngineException.FailedPrecondition(missing + " nor unpacked; " + remedy);
        }
        Snapshotter snapshots = unpacker.snapshotter();
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String viewKey = "regen-" + random + " " + chain;
        String ref = "regen-" + random + "-" + diffId;
        // the regenerated tar stays in this call's own ingest and is read back from there: it is never
        // committed under the DiffID, so no concurrent push or save of the same layer can find it, or
        // lose it when this call is done with it
        try (Writer w = content.writer(ref, -1, null)) {
            // a transient active snapshot on top of the chain (never mounted) names the chain's directories, newest
            // first; unlike a view, the snapshotter's cleanup removes it should the engine die before we do
            Mounts view = snapshots.prepare(viewKey, chain.toString(), Map.of(Snapshotter.TRANSIENT_LABEL, "true"));
            try {
                List<Path> dirs = view.lowerDirs();
                Changeset.diff(dirs.subList(1, dirs.size()), dirs.getFirst(), w.asOutputStream());
            } finally {
                try {
                    snapshots.remove(viewKey);
                } catch (EngineException ignored) {
                    // left behind, it is removed by the snapshotter's cleanup on the next start
                }
            }
            Digest actual = w.digest();
            if (!actual.equals(diffId)) {
                throw new EngineException.FailedPrecondition(missing + ", and its unpacked files no longer give the"
                        + " same tar (expected " + diffId + ", got " + actual + "); " + remedy);
            }
            long size = w.offset();
            try (InputStream in = w.openWritten()) {
                return reader.read(in, size);
            }
        } finally {
            abortQuietly(ref);
        }
    }

    /**
     * Gzip-compresses layer {@code index} of {@code image} (see {@link #withTar}) into a new blob of
     * the content store and returns its digest. The caller pins the blob until an image names it.
     */
    public Digest compressed(ImageRecord image, int index, String missing, String remedy) throws IOException {
        return withTar(image, index, missing, remedy, (tar, size) -> {
            String ref = "regen-gzip-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            try (Writer w = content.writer(ref, -1, null)) {
                try (GZIPOutputStream gz = new GZIPOutputStream(w.asOutputStream(), BUFFER)) {
                    tar.transferTo(gz);
                }
                return w.commit(-1, null);
            } finally {
                abortQuietly(ref);
            }
        });
    }

    private void abortQuietly(String ref) {
        try {
            content.abort(ref);
        } catch (EngineException ignored) {
            // committed, never started, or already gone
        }
    }
}
