package dev.berth.engine.volume;

import java.util.Map;

/**
 * What {@code POST /volumes/create} (and {@code docker volume create}) asks for.
 *
 * @param name       {@code null} or empty for an anonymous volume with a random 64-hex name
 * @param driver     {@code null}, empty or {@code local}; any other driver is refused
 * @param driverOpts the local driver's {@code type}, {@code device}, {@code o} (and {@code size}, refused: no quota support)
 * @param labels     user labels
 */
public record VolumeCreate(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {

    public VolumeCreate {
        driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A plain named volume. */
    public static VolumeCreate named(String name) {
        return new VolumeCreate(name, null, Map.of(), Map.of());
    }

    /** An anonymous volume (the engine picks the name and labels it {@link Volume#ANONYMOUS_LABEL}). */
    public static VolumeCreate anonymous() {
        return new VolumeCreate(null, null, Map.of(), Map.of());
    }
}
