package dev.berth.engine.snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Snapshots of file system trees, in containerd's shape. A committed snapshot is immutable and
 * keyed by its layer's chain ID; an active snapshot (a container's writable layer, or a layer
 * being unpacked) and a view (read-only) are keyed by a name the caller picks. Every snapshot
 * but the first layer has a committed parent; a parent cannot be removed while it has children.
 *
 * <p>Callers never see directories, only {@link Mounts}.
 */
public interface Snapshotter {

    /**
     * The label that marks an active snapshot as scratch space (a layer being unpacked):
     * {@link #cleanup()} removes such snapshots, which a crash left uncommitted.
     */
    String TRANSIENT_LABEL = "berth.snapshot/transient";

    enum Kind { VIEW, ACTIVE, COMMITTED }

    /**
     * What is known about a snapshot.
     *
     * @param parent the parent's key, null for a snapshot without one
     */
    record Info(String key, Kind kind, String parent, Map<String, String> labels, Instant created) {
        public Info {
            labels = Map.copyOf(labels);
        }
    }

    /** Disk use of a snapshot's own layer (not its parents): bytes of file content and the inode count. */
    record Usage(long size, long inodes) {}

    /** @throws dev.berth.engine.errors.EngineException.NotFound when there is no snapshot {@code key} */
    Info stat(String key);

    /** @throws dev.berth.engine.errors.EngineException.NotFound when there is no snapshot {@code key} */
    Usage usage(String key);

    /**
     * The mounts of an active snapshot or a view.
     *
     * @throws dev.berth.engine.errors.EngineException.FailedPrecondition for a committed snapshot
     */
    Mounts mounts(String key);

    /**
     * Creates an active, writable snapshot on top of the committed snapshot {@code parent}
     * (null for none); its upper directory starts empty.
     *
     * @throws dev.berth.engine.errors.EngineException.AlreadyExists when {@code key} is taken
     * @throws dev.berth.engine.errors.EngineException.NotFound when the parent does not exist
     */
    Mounts prepare(String key, String parent, Map<String, String> labels);

    default Mounts prepare(String key, String parent) {
        return prepare(key, parent, Map.of());
    }

    /** Creates a read-only view of the committed snapshot {@code parent} (null for an empty tree). */
    Mounts view(String key, String parent, Map<String, String> labels);

    default Mounts view(String key, String parent) {
        return view(key, parent, Map.of());
    }

    /**
     * Turns the active snapshot {@code key} into the committed snapshot {@code name}. Its content
     * is flushed to disk before the metadata says it is committed, so a committed snapshot is never
     * half written.
     *
     * @throws dev.berth.engine.errors.EngineException.AlreadyExists when {@code name} is taken
     * @throws dev.berth.engine.errors.EngineException.FailedPrecondition when {@code key} is not active
     */
    void commit(String name, String key);

    /**
     * Commits the active snapshot {@code key}, prepared without a parent as scratch space for one
     * layer, as {@code name} on top of the committed snapshot {@code parent} (null: stays a base
     * layer). This lets layers be unpacked in parallel, each into its own directory, and then be
     * stacked in chain order: an overlay layer's directory does not depend on the layers below it.
     *
     * @throws dev.berth.engine.errors.EngineException.AlreadyExists when {@code name} is taken
     * @throws dev.berth.engine.errors.EngineException.NotFound when {@code parent} does not exist
     * @throws dev.berth.engine.errors.EngineException.FailedPrecondition when {@code key} is not an active
     *         snapshot without a parent, or {@code parent} is not committed
     */
    void commit(String name, String key, String parent);

    /**
     * Removes a snapshot and its files.
     *
     * @throws dev.berth.engine.errors.EngineException.FailedPrecondition when another snapshot has it as its
     *         parent, or when it is mounted
     */
    void remove(String key);

    /** Calls {@code fn} for every snapshot, in key order. */
    void walk(Consumer<Info> fn);

    /**
     * Removes what a crash left behind: transient active snapshots (layers whose unpacking never
     * committed) and directories that no metadata names. Run on start, before anything else.
     *
     * @return the keys and directories removed, for the log
     */
    List<String> cleanup();
}
