package dev.berth.engine.api.containers;

import dev.berth.engine.container.inspect.ContainerDiff;
import dev.berth.engine.container.inspect.ProcessTable;
import dev.berth.engine.container.inspect.StatsSampler;

import java.util.List;

/** What {@code docker top}, {@code docker diff} and {@code docker stats} need beyond the container service. */
public interface ContainerFilesBackend {

    /** The container's processes as {@code ps} with {@code psArgs} shows them. */
    ProcessTable.Top top(String nameOrId, String psArgs);

    /** What changed in the container's filesystem against its image. */
    List<ContainerDiff.Change> changes(String nameOrId);

    /**
     * Runs {@code op} on the container's root filesystem, running or not (see
     * {@link dev.berth.engine.container.ContainerService#withRootfs}); once it succeeded, publishes
     * the container event {@code action} Docker sends for it ({@code export}, {@code archive-path},
     * {@code extract-to-dir}), or none when {@code action} is null.
     */
    <T> T withRoot(String nameOrId, String action, dev.berth.engine.container.ContainerService.RootfsOperation<T> op);

    /**
     * {@code docker commit}: a new image from the container's writable layer.
     *
     * @param tagAs   {@code repo[:tag]} for the new image, or null for none
     * @param changes Dockerfile instructions ({@code --change})
     * @param pause   pause a running container while its layer is read
     */
    dev.berth.engine.container.inspect.ImageCommitter.Committed commit(String nameOrId, String tagAs, String comment,
                                                                      String author, List<String> changes, boolean pause);

    /** A sampler of the running container's cgroup. */
    StatsSampler stats(String nameOrId);
}
