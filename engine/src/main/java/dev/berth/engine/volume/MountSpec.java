package dev.berth.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Map;

/**
 * One mount a container asks for, parsed from {@code -v}, {@code --mount}, {@code --tmpfs} (see
 * {@link MountSpecs}) or inherited through {@code --volumes-from} (see {@link VolumesFrom}).
 * Targets are absolute and clean ({@code /data}, never {@code /data/} or {@code /}).
 *
 * <p>The records persist as JSON through {@code state.Json} with a {@code type} property
 * ({@code bind}, {@code volume}, {@code tmpfs}), so a container record can keep its mounts.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MountSpec.Bind.class, name = "bind"),
        @JsonSubTypes.Type(value = MountSpec.VolumeMount.class, name = "volume"),
        @JsonSubTypes.Type(value = MountSpec.Tmpfs.class, name = "tmpfs")})
public sealed interface MountSpec permits MountSpec.Bind, MountSpec.VolumeMount, MountSpec.Tmpfs {

    /** The absolute path inside the container. */
    String target();

    boolean readOnly();

    /** Docker's mount type word: {@code bind}, {@code volume} or {@code tmpfs}. */
    String type();

    /**
     * A host path bound into the container.
     *
     * @param source        absolute host path
     * @param propagation   {@code rprivate} (Docker's default), {@code private}, {@code rslave}, {@code slave},
     *                      {@code rshared} or {@code shared}
     * @param createSource  create a missing source directory ({@code -v} does, {@code --mount} does not)
     */
    record Bind(String source, String target, boolean readOnly, String propagation, boolean createSource)
            implements MountSpec {
        public Bind {
            propagation = propagation == null || propagation.isEmpty() ? "rprivate" : propagation;
        }

        @Override
        @JsonIgnore
        public String type() {
            return "bind";
        }
    }

    /**
     * A volume mounted into the container.
     *
     * @param name       the volume's name; {@code null} for a new anonymous volume (named when attached)
     * @param noCopy     skip the first-use copy of the image's content ({@code nocopy}, {@code volume-nocopy})
     * @param driver     {@code null} for {@code local}
     * @param driverOpts options for a volume created by this mount ({@code volume-opt})
     * @param labels     labels for a volume created by this mount ({@code volume-label})
     */
    record VolumeMount(String name, String target, boolean readOnly, boolean noCopy, String driver,
                       Map<String, String> driverOpts, Map<String, String> labels) implements MountSpec {
        public VolumeMount {
            driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        public VolumeMount(String name, String target, boolean readOnly) {
            this(name, target, readOnly, false, null, Map.of(), Map.of());
        }

        @JsonIgnore
        public boolean anonymous() {
            return name == null;
        }

        /** The same mount of the volume now called {@code volumeName}. */
        public VolumeMount named(String volumeName) {
            return new VolumeMount(volumeName, target, readOnly, noCopy, driver, driverOpts, labels);
        }

        @Override
        @JsonIgnore
        public String type() {
            return "volume";
        }
    }

    /**
     * A tmpfs of the container's own.
     *
     * @param options mount options as {@code mount(8)} takes them ({@code size=64m,mode=1777}), may be empty
     */
    record Tmpfs(String target, String options) implements MountSpec {
        public Tmpfs {
            options = options == null ? "" : options;
        }

        @Override
        @JsonIgnore
        public boolean readOnly() {
            for (String o : options.split(",")) {
                if (o.equals("ro")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        @JsonIgnore
        public String type() {
            return "tmpfs";
        }
    }
}
