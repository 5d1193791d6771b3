package dev.berth.app.builds;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.state.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Builds pane's history file ({@code builds.json} next to {@code settings.json}): the newest
 * {@link #MAX_BUILDS} finished builds as {@link SavedBuild}s, newest first. Writes replace the file
 * atomically (temp file + rename, {@link AtomicFiles}); a file that cannot be read is moved aside to
 * {@code builds.json.corrupt} and the history starts empty. Call it off the UI thread.
 */
public final class BuildHistory {

    /** How many finished builds the file keeps. */
    public static final int MAX_BUILDS = 50;
    /** The file's format version. */
    static final int FORMAT = 1;

    private static final System.Logger LOG = System.getLogger(BuildHistory.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The file's content. */
    record Content(int format, List<SavedBuild> builds) {}

    private final Path file;
    private long written = -1;

    public BuildHistory(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    }

    /** {@code builds.json} in the folder of {@code settingsFile}. */
    public static BuildHistory nextTo(Path settingsFile) {
        return new BuildHistory(settingsFile.toAbsolutePath().normalize().resolveSibling("builds.json"));
    }

    public Path file() {
        return file;
    }

    /**
     * The saved builds, newest first (none when there is no file). A file that is not a build history
     * is renamed {@code .corrupt}, with a warning in the log saying where it went.
     */
    public synchronized List<SavedBuild> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            Content content = JSON.readValue(file.toFile(), Content.class);
            if (content == null || content.builds() == null) {
                throw new IOException("not a build history (no \"builds\" list)");
            }
            if (content.format() != FORMAT) {
                throw new IOException("unknown history format " + content.format());
            }
            List<SavedBuild> builds = new ArrayList<>();
            for (int i = 0; i < content.builds().size(); i++) {
                SavedBuild b = content.builds().get(i);
                if (b == null) {
                    throw new IOException("build " + (i + 1) + " is empty");
                }
                try {
                    SavedBuild valid = b.validated();
                    BuildRun.restored(valid); // what the pane will make of it must work too
                    builds.add(valid);
                } catch (RuntimeException e) {
                    throw new IOException("build " + (i + 1) + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
                }
            }
            return List.copyOf(builds.subList(0, Math.min(MAX_BUILDS, builds.size())));
        } catch (IOException | RuntimeException e) {
            setAside(e);
            return List.of();
        }
    }

    private void setAside(Exception why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        String reason = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage().lines().findFirst().orElse("");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(System.Logger.Level.WARNING, "cannot read the build history " + file + " (" + reason
                    + "); kept it as " + aside + " and started with no past builds");
        } catch (IOException moveFailed) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the build history " + file + " (" + reason
                    + ") and cannot move it aside (" + moveFailed.getMessage() + "); started with no past builds");
        }
    }

    /**
     * Replaces the file with {@code builds} (newest first; only the newest {@link #MAX_BUILDS} are kept).
     * {@code generation} orders writes handed to different threads: a write older than one already
     * made is skipped. Returns false when skipped or when the file cannot be written (logged).
     */
    public synchronized boolean save(long generation, List<SavedBuild> builds) {
        if (generation <= written) {
            return false;
        }
        written = generation;
        List<SavedBuild> kept = builds.subList(0, Math.min(MAX_BUILDS, builds.size()));
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Content(FORMAT, List.copyOf(kept))));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the build history " + file + ": " + e.getMessage());
            return false;
        }
    }
}
