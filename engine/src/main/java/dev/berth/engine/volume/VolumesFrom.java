package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code --volumes-from container[:ro|:rw]}: the data-container pattern. The new container
 * gets every mount of the other one at the same place: the same volumes (no first-use copy: the
 * volume is shared, not new), the same bind sources, and a tmpfs of its own where the other had
 * one. Without a mode each mount keeps its own read-only flag; {@code :ro} makes all of them
 * read-only; {@code :rw} keeps them (a read-only mount stays read-only, as with Docker).
 *
 * @param container the other container's name or id, as given
 * @param readOnly  {@code :ro} was given
 */
public record VolumesFrom(String container, boolean readOnly) {

    /** Parses {@code container[:mode]} with Docker's rules and messages. */
    public static VolumesFrom parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            throw new EngineException.InvalidArgument("volumes-from specification cannot be an empty string");
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new VolumesFrom(spec, false);
        }
        String id = spec.substring(0, colon);
        String mode = spec.substring(colon + 1);
        if (mode.isEmpty()) {
            return new VolumesFrom(id, false);
        }
        boolean ro = false;
        int rw = 0;
        for (String o : mode.split(",", -1)) {
            switch (o) {
                case "ro" -> {
                    ro = true;
                    rw++;
                }
                case "rw" -> rw++;
                case "z", "Z", "consistent", "cached", "delegated" -> { }
                // propagation and copy modes are not allowed here, nor anything unknown
                default -> throw new EngineException.InvalidArgument("invalid mode: " + mode);
            }
        }
        if (rw > 1) {
            throw new EngineException.InvalidArgument("invalid mode: " + mode);
        }
        return new VolumesFrom(id, ro);
    }

    /**
     * The mounts to add to the new container from {@code sourceMounts} (the other container's
     * mounts, its anonymous volumes already named), leaving out any target the new container
     * mounts itself ({@code own}: its own {@code -v} and {@code --mount} win, as with Docker).
     *
     * @throws EngineException.FailedPrecondition when a volume mount of the other container has no name yet
     */
    public List<MountSpec> resolve(Collection<? extends MountSpec> sourceMounts, Collection<? extends MountSpec> own) {
        Set<String> taken = new HashSet<>();
        own.forEach(m -> taken.add(m.target()));
        List<MountSpec> out = new ArrayList<>();
        for (MountSpec m : sourceMounts) {
            if (!taken.add(m.target())) {
                continue;
            }
            out.add(switch (m) {
                case MountSpec.VolumeMount v -> {
                    if (v.anonymous()) {
                        throw new EngineException.FailedPrecondition("container " + container + " has an anonymous volume at "
                                + v.target() + " that was never created: start or create it first");
                    }
                    yield new MountSpec.VolumeMount(v.name(), v.target(), v.readOnly() || readOnly, true, v.driver(),
                            v.driverOpts(), v.labels());
                }
                case MountSpec.Bind b -> new MountSpec.Bind(b.source(), b.target(), b.readOnly() || readOnly, b.propagation(), false);
                case MountSpec.Tmpfs t -> readOnly && !t.readOnly()
                        ? new MountSpec.Tmpfs(t.target(), t.options().isEmpty() ? "ro" : "ro," + t.options()) : t;
            });
        }
        return out;
    }
}
