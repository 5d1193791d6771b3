package dev.berth.engine.container.inspect;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.TarWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code docker export}: a container's whole file system, flattened, as an uncompressed tar with
 * names relative to the root ({@code bin/}, {@code bin/busybox}, ...), as Docker writes it.
 * Reads the mounted root filesystem (the host-side overlay mount, or {@code /proc/<pid>/root} of
 * a running container). {@code /proc}, {@code /sys} and {@code /dev} are exported as directories
 * without their contents, and no other mount point is descended into (a running container's
 * {@code /dev/shm}, bind-mounted volumes). Symbolic links are stored as links, never followed.
 */
public final class RootfsExport {

    /** Directories whose contents never belong in an export: the kernel's and the runtime's. */
    public static final Set<String> SKIPPED = Set.of("proc", "sys", "dev");

    private RootfsExport() {}

    /** Writes the tar to {@code out}; {@code out} is flushed, not closed. */
    public static void export(Path rootfs, OutputStream out) {
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(rootfs)) {
            throw new EngineException.FailedPrecondition("the container's root filesystem is not mounted at " + rootfs);
        }
        try {
            TarWriter w = new TarWriter(out);
            TreeTar t = new TreeTar(w, SKIPPED);
            // never toRealPath(): /proc/<pid>/root is a magic link whose text is not a path to follow
            Path root = rootfs.toAbsolutePath().normalize().resolve(".");
            try (var children = Files.list(root)) {
                // the root itself is not an entry in Docker's export
                t.startOn(root);
                for (Path c : children.sorted().toList()) {
                    t.entryOf(root.resolve(c.getFileName().toString()), c.getFileName().toString());
                }
            }
            w.close();
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot export " + rootfs + ": " + e.getMessage(), e);
        }
    }
}
