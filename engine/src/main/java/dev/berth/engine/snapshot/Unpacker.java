package dev.berth.engine.snapshot;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.ApplyResult;
import dev.berth.engine.layer.LayerApplier;
import dev.berth.engine.layer.Posix;
import dev.berth.engine.oci.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Unpacks an image's layers into committed snapshots keyed by chain ID, each layer once: a
 * layer whose chain ID is already committed is skipped, so every image that shares the first
 * layers shares their snapshots. Each layer goes into its own fresh active snapshot, marked
 * {@linkplain Snapshotter#TRANSIENT_LABEL transient}, and is committed only when the whole
 * stream was applied and its DiffID matched; on any failure the partial snapshot is removed.
 *
 * <p>Write-back: a commit makes the layer durable ({@code syncfs}) before it marks it committed;
 * left alone, the kernel would hold every byte a pull wrote until then, and the last layer's commit
 * would wait for all of them at once. So while layers are read, every {@value #WRITEBACK_STEP}
 * bytes of blob (and at the end of each layer) a background thread starts a {@code syncfs} of the
 * file system being written (one at a time; a kick while one runs is dropped). It only moves the
 * writing earlier: what is durable when, and what a commit waits for, do not change.
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

    static final long WRITEBACK_STEP = 16L << 20;

    private final Snapshotter snapshots;
    private final LayerApplier applier;
    private final Map<Digest, Object> inFlight = new ConcurrentHashMap<>();
    /** Runs the background syncfs; its one thread exits when idle, so an unused unpacker holds none. */
    private final ExecutorService writeback = new ThreadPoolExecutor(0, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            Thread.ofPlatform().name("berth-writeback").daemon().factory());
    private final AtomicBoolean writingBack = new AtomicBoolean();

    public Unpacker(Snapshotter snapshots, LayerApplier applier) {
        this.snapshots = snapshots;
        this.applier = applier;
    }

    /**
     * Starts writing back what is dirty on {@code dir}'s file system, on the background thread, unless
     * that is busy already. A platform thread: the FFM call would pin a virtual thread's carrier.
     */
    private void startWriteback(Path dir) {
        if (!writingBack.compareAndSet(false, true)) {
            return;
        }
        try {
            writeback.execute(() -> {
                try {
                    Posix.syncfs(dir);
                } catch (IOException | RuntimeException e) {
                    // only an early start: the commit's own syncfs reports a disk that cannot be written
                } finally {
                    writingBack.set(false);
                }
            });
        } catch (RuntimeException rejected) {
            writingBack.set(false);
        }
    }

    /** The layer blob, kicking a write-back every {@link #WRITEBACK_STEP} bytes read. */
    private InputStream withWriteback(InputStream blob, Path dir) {
        return new FilterInputStream(blob) {
            private long sinceKick;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0 && (sinceKick += n) >= WRITEBACK_STEP) {
                    sinceKick = 0;
                    startWriteback(dir);
                }
                return n;
            }
        };
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

    /**
     * A layer unpacked into its own scratch snapshot (no parent yet) with its DiffID checked, ready
     * to be stacked by {@link #commit(Digest, Scratch)} once the layers below it are committed.
     * {@link #close()} removes it unless it was committed.
     */
    public final class Scratch implements AutoCloseable {
        private final String key;
        private final Layer layer;
        private final ApplyResult result;
        private boolean done;

        private Scratch(String key, Layer layer, ApplyResult result) {
            this.key = key;
            this.layer = layer;
            this.result = result;
        }

        public Layer layer() {
            return layer;
        }

        /** What applying the layer produced (DiffID, sizes). */
        public ApplyResult result() {
            return result;
        }

        @Override
        public synchronized void close() {
            if (!done) {
                done = true;
                removeQuietly(key);
            }
        }
    }

    /**
     * Unpacks {@code layer} into a fresh scratch snapshot without a parent, so several layers of one
     * image can be unpacked at once. The DiffID is checked before this returns; on any failure the
     * scratch snapshot is removed.
     *
     * @throws EngineException.InvalidArgument when the layer's DiffID is not {@code layer.diffId()}
     */
    public Scratch extractScratch(Layer layer) {
        String key = "extract-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + " " + layer.diffId();
        Mounts m = snapshots.prepare(key, null, Map.of(Snapshotter.TRANSIENT_LABEL, "true"));
        boolean ok = false;
        try {
            var dir = m.upperDir().orElseThrow(() -> new IllegalStateException("snapshot " + key + " has no writable dir"));
            ApplyResult r;
            try (InputStream in = withWriteback(layer.blob().open(), dir)) {
                r = applier.apply(in, dir, layer.name());
            } catch (IOException e) {
                throw new EngineException.Unavailable("cannot read layer " + layer.name() + ": " + e.getMessage(), e);
            }
            if (!r.diffId().equals(layer.diffId())) {
                throw new EngineException.InvalidArgument("layer " + layer.name() + " has DiffID " + r.diffId()
                        + " but the image config says " + layer.diffId());
            }
            startWriteback(dir);
            ok = true;
            return new Scratch(key, layer, r);
        } finally {
            if (!ok) {
                removeQuietly(key);
            }
        }
    }

    /**
     * Stacks an unpacked scratch layer on the committed chain {@code parent} (null for the first
     * layer) and commits it under its chain ID; if that chain was committed meanwhile (another pull
     * of an image sharing the layer), the scratch is dropped. Returns the chain ID.
     */
    public Digest commit(Digest parent, Scratch scratch) {
        Digest chain = ChainIds.next(parent, scratch.layer.diffId());
        Object lock = inFlight.computeIfAbsent(chain, c -> new Object());
        synchronized (lock) {
            try {
                synchronized (scratch) {
                    if (scratch.done) {
                        throw new IllegalStateException("scratch snapshot " + scratch.key + " is closed");
                    }
                    if (!isCommitted(chain)) {
                        try {
                            snapshots.commit(chain.toString(), scratch.key, parent == null ? null : parent.toString());
                            scratch.done = true;
                            return chain;
                        } catch (EngineException.AlreadyExists raced) {
                            // committed by someone else between our check and our commit
                        }
                    }
                    scratch.done = true;
                    removeQuietly(scratch.key);
                    return chain;
                }
            } finally {
                inFlight.remove(chain, lock);
            }
        }
    }

    private void removeQuietly(String key) {
        // a cancelled unpack runs this on an interrupted thread: file channels would refuse the metadata write
        boolean interrupted = Thread.interrupted();
        try {
            snapshots.remove(key);
        } catch (EngineException ignored) {
            // cleanup() on the next start removes a transient snapshot left behind
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void extract(Digest parent, Digest chain, Layer layer) {
        String key = "extract-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + " " + chain;
        Mounts m = snapshots.prepare(key, parent == null ? null : parent.toString(), Map.of(Snapshotter.TRANSIENT_LABEL, "true"));
        boolean committed = false;
        try {
            var dir = m.upperDir().orElseThrow(() -> new IllegalStateException("snapshot " + key + " has no writable dir"));
            ApplyResult r;
            try (InputStream in = withWriteback(layer.blob().open(), dir)) {
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
