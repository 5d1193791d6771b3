package dev.berth.engine.api.containers;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.inspect.ContainerDiff;
import dev.berth.engine.container.inspect.CgroupStats;
import dev.berth.engine.container.inspect.ProcessTable;
import dev.berth.engine.container.inspect.StatsSampler;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.Snapshotter;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

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

    /** {@code /proc/<pid>/root}: the container's mounts (tmpfs, ...) as its processes see them. */
    @Override
    public java.nio.file.Path root(String nameOrId) {
        Container c = containers.inspect(nameOrId);
        if (!c.state().running() || c.state().pid() <= 0) {
            throw new EngineException.Conflict("copying files of container " + c.name()
                    + " needs it running: start it first (copying from a stopped container is not supported yet)");
        }
        return java.nio.file.Path.of("/proc", Long.toString(c.state().pid()), "root");
    }

    @Override
    public StatsSampler stats(String nameOrId) {
        Container c = containers.inspect(nameOrId);
        if (!c.state().running()) {
            throw new EngineException.Conflict("Container " + c.id() + " is not running");
        }
        String id = c.id();
        return new StatsSampler(CgroupStats.host(), id, c.dockerName(), Cgroups.containerPath(id),
                c.state().pid() > 0 ? OptionalLong.of(c.state().pid()) : OptionalLong.empty(),
                () -> {
                    try {
                        return containers.inspect(id).state().running();
                    } catch (EngineException.NotFound e) {
                        return false;
                    }
                }, Duration.ofSeconds(1));
    }

    @Override
    public List<ContainerDiff.Change> changes(String nameOrId) {
        Container c = containers.inspect(nameOrId);
        Mounts m = snapshots.mounts(c.snapshotKey());
        return ContainerDiff.changes(m.lowerDirs(), m.upperDir().orElseThrow(
                () -> new EngineException.FailedPrecondition("container " + c.shortId() + " has no writable layer")));
    }
}
