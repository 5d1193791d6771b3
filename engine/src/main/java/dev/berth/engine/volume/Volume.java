package dev.berth.engine.volume;

import java.nio.file.Path;
import java.util.Map;

/**
 * A volume as Docker's {@code GET /volumes/{name}} shows it.
 *
 * @param name       the volume's name (64 hex characters for an anonymous volume)
 * @param driver     always {@code local}
 * @param mountpoint the host directory that holds the data ({@code <root>/volumes/<name>/_data})
 * @param createdAt  RFC 3339, seconds
 * @param labels     user labels; anonymous volumes carry {@link #ANONYMOUS_LABEL}
 * @param scope      always {@code local}
 * @param options    the driver options it was created with ({@code type}, {@code device}, {@code o})
 * @param usageData  size and reference count, {@code null} unless asked for
 */
public record Volume(String name, String driver, Path mountpoint, String createdAt, Map<String, String> labels,
                     String scope, Map<String, String> options, UsageData usageData) {

    /** The label Docker (API 1.42+) puts on anonymous volumes; prune without {@code all} removes only these. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public Volume {
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
    }

    /** Whether the engine made it for a container ({@code -v /path}, an image's {@code VOLUME}). */
    public boolean anonymous() {
        return labels.containsKey(ANONYMOUS_LABEL);
    }

    /**
     * Disk use and users of a volume.
     *
     * @param size     bytes under the volume's data directory (each hard-linked file once)
     * @param refCount how many containers use it
     */
    public record UsageData(long size, long refCount) {}
}
