package dev.berth.engine.api.containers;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.inspect.ContainerDiff;
import dev.berth.engine.container.ContainerConfig;
import dev.berth.engine.container.ContainerStatus;
import dev.berth.engine.container.inspect.CgroupStats;
import dev.berth.engine.container.inspect.ImageCommitter;
import dev.berth.engine.content.ContentStore;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.Reference;
import dev.berth.engine.oci.ImageConfig;
import dev.berth.engine.snapshot.Unpacker;
import dev.berth.engine.container.inspect.ProcessTable;
import dev.berth.engine.container.inspect.StatsSampler;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.engine.snapshot.Snapshotter;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.OptionalLong;

/** {@link ContainerFilesBackend} on this host: the container's cgroup, its overlay snapshot and the image stores. */
public final class LocalFilesBackend implements ContainerFilesBackend {

    private final ContainerService containers;
    private final Snapshotter snapshots;
    private final ImageCommitter committer;
    private final ImageStore images;
    private final ContentStore content;
    private final EventBus events;

    public LocalFilesBackend(ContainerService containers, Snapshotter snapshots, ImageStore images, ContentStore content,
                             Unpacker unpacker, EventBus events) {
        this.events = events;
        this.containers = containers;
        this.snapshots = snapshots;
        this.images = images;
        this.content = content;
        this.committer = new ImageCommitter(content, images, unpacker, Clock.systemUTC());
    }

    @Override
    public ImageCommitter.Committed commit(String nameOrId, String tagAs, String comment, String author,
                                           List<String> changes, boolean pause) {
        Container c = containers.inspect(nameOrId);
        ImageRecord parent = images.get(c.imageId()).orElseThrow(() -> new EngineException.FailedPrecondition(
                "the image of container " + c.name() + " (" + c.imageId() + ") is gone: it cannot be committed"));
        byte[] parentConfig;
        try (InputStream in = content.open(c.imageId())) {
            parentConfig = in.readAllBytes();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read the config of image " + c.imageId() + ": " + e.getMessage(), e);
        }
        Mounts m = snapshots.mounts(c.snapshotKey());
        ContainerConfig cfg = c.config();
        ImageConfig.Config own = new ImageConfig.Config(cfg.user(), null, cfg.env(),
                cfg.entrypoint().isEmpty() ? null : cfg.entrypoint(), cfg.cmd().isEmpty() ? null : cfg.cmd(), null,
                cfg.workingDir(), cfg.labels(), cfg.stopSignal(), null, null, null, null);
        Optional<Reference> tag = tagAs == null || tagAs.isBlank() ? Optional.empty() : Optional.of(Reference.parse(tagAs));
        boolean paused = pause && c.state().status() == ContainerStatus.RUNNING;
        if (paused) {
            containers.pause(c.id());
        }
        try {
            ImageCommitter.Committed done = committer.commit(new ImageCommitter.Request(parent, parentConfig, m.lowerDirs(),
                    m.upperDir().orElseThrow(() -> new EngineException.FailedPrecondition("container " + c.shortId()
                            + " has no writable layer")), own, changes, author, comment, tag, null));
            publish(c, "commit", Map.of("comment", comment == null ? "" : comment, "imageID", done.imageId().toString(),
                    "imageRef", tag.map(Reference::familiar).orElse("")));
            return done;
        } finally {
            if (paused) {
                containers.unpause(c.id());
            }
        }
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
    public <T> T withRoot(String nameOrId, String action, ContainerService.RootfsOperation<T> op) {
        T result = containers.withRootfs(nameOrId, op);
        if (action != null) {
            try {
                publish(containers.inspect(nameOrId), action, Map.of());
            } catch (EngineException.NotFound e) {
                // removed meanwhile (--rm): nothing left to name in an event
            }
        }
        return result;
    }

    /** A container event as the container service sends them: its labels, name and image, then {@code extra}. */
    private void publish(Container c, String action, Map<String, String> extra) {
        events.publish(c.event(action, extra));
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
