package dev.berth.engine.volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's volumes: what {@code docker volume create|inspect|ls|rm|prune} and the
 * {@code /volumes} API ask for, and what the container service needs to mount them.
 *
 * <p>Errors are {@link dev.berth.engine.errors.EngineException}s in Docker's words: an unknown
 * name is {@code NotFound} ("get NAME: no such volume"), removing a used volume is
 * {@code Conflict} ("remove NAME: volume is in use - [ids]"), bad names, drivers, options and
 * filters are {@code InvalidArgument}.
 */
public interface VolumeService {

    /**
     * Creates a volume, or returns the existing one of that name (as Docker does). A request
     * without a name makes an anonymous volume with a random 64-hex name.
     */
    Volume create(VolumeCreate request);

    /** The volume named {@code name}, with its {@link Volume.UsageData} when {@code withUsage}. */
    Volume inspect(String name, boolean withUsage);

    default Volume inspect(String name) {
        return inspect(name, false);
    }

    /**
     * Volumes matching Docker's list filters: {@code name} (a pattern found in the name, any
     * value), {@code label} ({@code key} or {@code key=value}, all values), {@code dangling}
     * ({@code true|false|1|0}: used by no container), {@code driver}. Sorted by name.
     */
    List<Volume> list(Map<String, List<String>> filters, boolean withUsage);

    default List<Volume> list() {
        return list(Map.of(), false);
    }

    /**
     * Removes a volume and its data. Refused while a container uses it; {@code force} only
     * makes a missing volume not an error (as Docker's {@code rm -f}). The host directory of a
     * bind-backed local volume is never touched.
     */
    void remove(String name, boolean force);

    /**
     * Removes unused volumes, by default only anonymous ones ({@code all=true} for named ones
     * too, Docker API 1.42+); filters {@code label} and {@code label!} narrow it.
     */
    PruneReport prune(Map<String, List<String>> filters);

    /** Size of the volume's data and how many containers use it. */
    Volume.UsageData usage(String name);

    /** Ids of the containers that use the volume. */
    Set<String> users(String name);

    /**
     * Records that {@code containerId} uses the volume (persisted) and returns the host directory
     * to bind into the container; a tmpfs- or bind-backed local volume is mounted on its first use.
     * Acquiring twice for the same container counts once.
     */
    Path acquire(String name, String containerId);

    /** Records that {@code containerId} no longer uses the volume; the last user unmounts a tmpfs- or bind-backed one. */
    void release(String name, String containerId);

    /**
     * The host directory to bind for the volume. A tmpfs- or bind-backed volume must be in use
     * ({@link #acquire}); it is mounted again if it is not (e.g. after a reboot).
     */
    Path mountSource(String name);

    /**
     * The first-use copy: when the volume is new and empty, copies the image's content at
     * {@code containerPath} (resolved inside {@code imageRoot}; symbolic links are followed only
     * within it) into the volume, keeping modes, owners, times, symbolic links, hard links,
     * device nodes and extended attributes; the volume's top directory takes the owner and mode
     * of the image's directory. Done once: the volume is then marked populated. A tmpfs- or
     * bind-backed volume must be acquired first.
     */
    CopyUpOutcome copyUp(String name, Path imageRoot, String containerPath);
}
