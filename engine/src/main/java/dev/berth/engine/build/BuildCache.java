package dev.berth.engine.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The classic builder's layer cache: for each step, the image it made, keyed on the parent image id,
 * the instruction after expansion (and a RUN's build args) and, for COPY/ADD, the content checksum of
 * the sources. One small JSON file per key under {@code <root>/build/cache/}, named by the key's SHA-256
 * and written atomically; a lookup whose image is gone is a miss.
 */
final class BuildCache {

    /** One entry: the key as text (for people reading the directory) and the image it led to. */
    record Entry(@JsonProperty("key") String key, @JsonProperty("image") String image) {}

    private final Path dir;

    BuildCache(Path dir) {
        this.dir = dir;
    }

    /** The key of a step: one line per part, so no two different steps share a key. */
    static String key(Digest parent, String instruction, String extra) {
        return "parent " + (parent == null ? "scratch" : parent) + "\ninstruction " + instruction.replace("\n", "\\n")
                + "\n" + (extra == null ? "" : extra);
    }

    Optional<Digest> get(String key) {
        Path f = file(key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            Entry e = Json.read(f, Entry.class);
            return key.equals(e.key()) ? Optional.of(Digest.parse(e.image())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // an unreadable entry is a miss; the next put replaces it
        }
    }

    void put(String key, Digest image) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Json.write(file(key), new Entry(key, image.toString()));
    }

    /**
     * Deletes the entries whose image {@code stillStored} says is gone, or every entry with {@code all};
     * returns how many went.
     */
    int prune(boolean all, java.util.function.Predicate<Digest> stillStored) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                boolean keep = false;
                if (!all) {
                    try {
                        keep = stillStored.test(Digest.parse(Json.read(f, Entry.class).image()));
                    } catch (RuntimeException unreadable) {
                        keep = false;
                    }
                }
                if (!keep && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune the build cache in " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private Path file(String key) {
        return dir.resolve(Digest.sha256(key.getBytes(StandardCharsets.UTF_8)).encoded() + ".json");
    }
}
