package dev.berth.engine.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to mount a snapshot, in {@code mount(8)} terms: {@code overlay} with {@code lowerdir=}
 * (newest first), {@code upperdir=} and {@code workdir=}, or {@code bind} of a single directory.
 * Hand it to {@link Mounter#mount}; a runtime may also put it into an OCI bundle.
 *
 * @param type {@code overlay} or {@code bind}
 * @param source the directory for a bind mount, {@code overlay} for an overlay
 * @param options mount options ({@code ro}, {@code rbind}, {@code lowerdir=...}, ...)
 */
public record Mounts(String type, String source, List<String> options) {

    public Mounts {
        options = List.copyOf(options);
    }

    /** Whether the mount is read-only. */
    public boolean readOnly() {
        return options.contains("ro") || (type.equals("overlay") && upperDir().isEmpty());
    }

    /** The directory that receives writes: the overlay upper dir, or a read-write bind source. */
    public Optional<Path> upperDir() {
        if (type.equals("bind")) {
            return readOnlyBind() ? Optional.empty() : Optional.of(Path.of(source));
        }
        return option("upperdir=").map(Path::of);
    }

    /** The overlay lower directories, newest first; for a bind mount its source. */
    public List<Path> lowerDirs() {
        if (type.equals("bind")) {
            return readOnlyBind() ? List.of(Path.of(source)) : List.of();
        }
        List<Path> out = new ArrayList<>();
        option("lowerdir=").ifPresent(v -> {
            for (String p : v.split(":")) {
                out.add(Path.of(p));
            }
        });
        return out;
    }

    /** The overlay work dir. */
    public Optional<Path> workDir() {
        return option("workdir=").map(Path::of);
    }

    private boolean readOnlyBind() {
        return options.contains("ro");
    }

    private Optional<String> option(String prefix) {
        return options.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst();
    }
}
