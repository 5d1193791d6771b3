package dev.berth.engine.api.containers;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.inspect.ContainerDiff;
import dev.berth.engine.container.inspect.ProcessTable;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.Snapshotter;

import java.util.List;

/** {@link ContainerFilesBackend} on this host: the container's cgroup and its overlay snapshot. */
public final class LocalFilesBackend implements ContainerFilesBackend {

    private final ContainerService containers;
    private final Snapshotter snapshots;

    public LocalFilesBackend(ContainerService containers, Snapshotter snapshots) {
        this.containers = containers;
        this.snapshots = snapshots;
    }

    @Override
    public ProcessTable.Top top(String nameOrId, String psArgs) {
        Container c = containers.inspect(nameOrId);
        if (!c.state().running()) {
            throw new EngineException.Conflict("Container " + c.id() + " is not running");
        }
        return ProcessTable.host().top(Cgroups.host(), Cgroups.containerPath(c.id()), psArgs);
    }

    @Override
    public List<ContainerDiff.Change> changes(String nameOrId) {
        Container c = containers.inspect(nameOrId);
        Mounts m = snapshots.mounts(c.snapshotKey());
        return ContainerDiff.changes(m.lowerDirs(), m.upperDir().orElseThrow(
                () -> new EngineException.FailedPrecondition("container " + c.shortId() + " has no writable layer")));
    }
}
