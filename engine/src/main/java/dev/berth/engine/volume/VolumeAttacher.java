package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.RunSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the container service calls to turn a container's {@link MountSpec}s into what the
 * runtime mounts, and to let go of them again. Attaching creates the volumes that do not exist
 * yet (anonymous ones, and named ones as {@code docker run -v name:/x} does), records the
 * container as their user, fills each new volume from the image ({@link VolumeService#copyUp})
 * unless the mount says {@code nocopy}, and creates a missing {@code -v} bind source directory.
 * If any step fails, what was done for that container is undone.
 */
public final class VolumeAttacher {

    /**
     * The outcome of {@link #attach}.
     *
     * @param mounts the container's mounts with every volume named (persist these: they are what
     *               {@link #detach} and {@code --volumes-from} need)
     * @param binds  bind mounts for {@link RunSpec.Builder#bind}, in the order given
     * @param tmpfs  tmpfs mounts for {@link RunSpec.Builder#tmpfs}: target to options
     * @param copies what the first-use copy did for each volume target
     */
    public record Attached(List<MountSpec> mounts, List<RunSpec.BindMount> binds, Map<String, String> tmpfs,
                           Map<String, CopyUpOutcome> copies) {
        public Attached {
            mounts = List.copyOf(mounts);
            binds = List.copyOf(binds);
            tmpfs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tmpfs));
            copies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(copies));
        }
    }

    private final VolumeService volumes;

    public VolumeAttacher(VolumeService volumes) {
        this.volumes = volumes;
    }

    /**
     * Attaches {@code mounts} to container {@code containerId}.
     *
     * @param imageRoot the container's root filesystem as the image gives it (the source of the
     *                  first-use copy), {@code null} to copy nothing
     */
    public Attached attach(String containerId, Path imageRoot, List<? extends MountSpec> mounts) {
        MountSpecs.checkDuplicates(mounts);
        List<MountSpec> resolved = new ArrayList<>();
        List<RunSpec.BindMount> binds = new ArrayList<>();
        Map<String, String> tmpfs = new LinkedHashMap<>();
        Map<String, CopyUpOutcome> copies = new LinkedHashMap<>();
        List<String> acquired = new ArrayList<>();
        List<String> created = new ArrayList<>();
        try {
            for (MountSpec m : mounts) {
                switch (m) {
                    case MountSpec.VolumeMount v -> {
                        String name = v.name();
                        if (name == null || !exists(name)) {
                            String made = volumes.create(new VolumeCreate(name, v.driver(), v.driverOpts(), v.labels())).name();
                            created.add(made);
                            name = made;
                        }
                        Path source = volumes.acquire(name, containerId);
                        acquired.add(name);
                        if (v.noCopy()) {
                            copies.put(v.target(), new CopyUpOutcome.SkippedNoCopy());
                        } else if (imageRoot != null) {
                            copies.put(v.target(), volumes.copyUp(name, imageRoot, v.target()));
                        }
                        resolved.add(v.named(name));
                        binds.add(new RunSpec.BindMount(source, v.target(), v.readOnly()));
                    }
                    case MountSpec.Bind b -> {
                        Path source = Path.of(b.source());
                        if (!Files.exists(source)) {
                            if (!b.createSource()) {
                                throw new EngineException.InvalidArgument("invalid mount config for type \"bind\": "
                                        + "bind source path does not exist: " + b.source());
                            }
                            try {
                                Files.createDirectories(source);
                            } catch (IOException e) {
                                throw new EngineException.Unavailable("error while creating mount source path '" + source
                                        + "': " + e.getMessage(), e);
                            }
                        }
                        resolved.add(b);
                        binds.add(new RunSpec.BindMount(source, b.target(), b.readOnly(),
                                b.propagation().equals("rprivate") ? null : b.propagation()));
                    }
                    case MountSpec.Tmpfs t -> {
                        resolved.add(t);
                        tmpfs.put(t.target(), t.options());
                    }
                }
            }
        } catch (RuntimeException e) {
            for (String name : acquired) {
                try {
                    volumes.release(name, containerId);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            for (String name : created) {
                try {
                    volumes.remove(name, true);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new Attached(resolved, binds, tmpfs, copies);
    }

    private boolean exists(String name) {
        try {
            volumes.inspect(name);
            return true;
        } catch (EngineException.NotFound e) {
            return false;
        }
    }

    /**
     * Lets container {@code containerId} go of its volumes (a volume already gone is skipped).
     * With {@code removeAnonymous} ({@code docker rm -v}) its anonymous volumes that no other
     * container uses are removed; named volumes never are.
     *
     * @return the volumes removed
     */
    public List<String> detach(String containerId, List<? extends MountSpec> mounts, boolean removeAnonymous) {
        List<String> removed = new ArrayList<>();
        for (MountSpec m : mounts) {
            if (!(m instanceof MountSpec.VolumeMount v) || v.name() == null) {
                continue;
            }
            try {
                volumes.release(v.name(), containerId);
                if (removeAnonymous && volumes.inspect(v.name()).anonymous() && volumes.users(v.name()).isEmpty()) {
                    volumes.remove(v.name(), true);
                    removed.add(v.name());
                }
            } catch (EngineException.NotFound gone) {
                // removed by someone else already: nothing to let go of
            }
        }
        return removed;
    }
}
