package dev.berth.app.builds;

import dev.berth.app.i18n.Text;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a drop of files onto the window builds, decided from the files alone (a few file-system
 * checks, no reading: it runs on every drag-over). One item only: a file is taken as the
 * Dockerfile whatever its name ({@code app.dockerfile}, {@code Dockerfile.dev}) with its folder
 * as the context; a folder is the context when it holds a {@code Dockerfile} or, failing that, a
 * {@code Containerfile}. Anything else is refused, with the reason.
 */
public final class DockerfileDrop {

    /** The names looked for in a context folder, in order of preference (Podman's Containerfile second). */
    public static final List<String> DEFAULT_NAMES = List.of("Dockerfile", "Containerfile");

    /** What a drop leads to. */
    public sealed interface Outcome {}

    /** Open the Build dialog on {@code contextDir} (absolute, normalized) with {@code dockerfile} relative to it. */
    public record Open(Path contextDir, String dockerfile) implements Outcome {}

    /** Not something to build from: the drop is not accepted. */
    public record Refused(Text reason) implements Outcome {}

    private DockerfileDrop() {}

    /** The outcome of dropping {@code files} (a drag's file list; null or empty when it carries none). */
    public static Outcome of(List<File> files) {
        if (files == null || files.isEmpty()) {
            return new Refused(Text.of("builds.drop.refused.noFiles"));
        }
        if (files.size() > 1) {
            return new Refused(Text.of("builds.drop.refused.several", files.size()));
        }
        Path item = files.getFirst().toPath().toAbsolutePath().normalize();
        if (Files.isDirectory(item)) {
            String name = defaultDockerfile(item);
            return name == null
                    ? new Refused(Text.of("builds.drop.refused.noDockerfile", item.toString()))
                    : new Open(item, name);
        }
        if (Files.isRegularFile(item) && item.getParent() != null) {
            return new Open(item.getParent(), item.getFileName().toString());
        }
        return new Refused(Text.of("builds.drop.refused.notAFile", item.toString()));
    }

    /** {@code Dockerfile} when {@code dir} holds one, else {@code Containerfile} when it holds that, else null. */
    public static String defaultDockerfile(Path dir) {
        for (String name : DEFAULT_NAMES) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return name;
            }
        }
        return null;
    }
}
