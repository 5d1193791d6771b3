package dev.berth.engine.api.xray;

import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.inspect.Xray;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.engine.snapshot.Snapshotter;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link XrayBackend} on this host: finds the container, the chain of snapshots under its
 * writable one and its image's diff IDs, and lets {@link Xray} read the kernel's view.
 */
public final class LocalXrayBackend implements XrayBackend {

    private final ContainerService containers;
    private final Snapshotter snapshots;
    private final ImageStore images;
    private final Xray xray;

    public LocalXrayBackend(ContainerService containers, Snapshotter snapshots, ImageStore images, Xray xray) {
        this.containers = containers;
        this.snapshots = snapshots;
        this.images = images;
        this.xray = xray;
    }

    @Override
    public Xray.Report xray(String nameOrId) {
        Container c = containers.inspect(nameOrId);
        boolean running = c.state().running() && c.state().pid() > 0;
        long pid = running ? c.state().pid() : 0;
        List<Xray.Namespace> namespaces = running ? xray.namespaces(pid) : List.of();
        String cgroupPath = Cgroups.containerPath(c.id());
        Xray.Cgroup cgroup = running ? xray.cgroup(cgroupPath, c.hostConfig().resources())
                : new Xray.Cgroup(cgroupPath, Cgroups.host().layout().name(), List.of(), List.of());
        List<String> chain = new ArrayList<>();
        String parent;
        try {
            parent = snapshots.stat(c.snapshotKey()).parent();
            while (parent != null) {
                chain.add(parent);
                parent = snapshots.stat(parent).parent();
            }
        } catch (EngineException.NotFound e) {
            // a snapshot vanished under us: name what was found
        }
        List<Digest> diffIds = images.get(c.imageId()).map(ImageRecord::diffIds).orElse(List.of());
        Xray.Overlay overlay = Xray.overlay(c.paths().rootfs(), Mounter.isMountPoint(c.paths().rootfs()),
                snapshots.mounts(c.snapshotKey()), chain, diffIds);
        return new Xray.Report(c.id(), c.dockerName(), running, pid, xray.hostNamespaces().toString(), namespaces, cgroup, overlay);
    }
}
