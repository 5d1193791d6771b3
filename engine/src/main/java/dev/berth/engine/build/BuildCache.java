package dev.berth.engine.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The classic builder's layer cache: for each step, the image it made, keyed on the parent image id,
 * the instruction after expansion (and a RUN's build args) and, for COPY/ADD, the content checksum of
 * the sources. One small JSON file per key under {@code <root>/build/cache/}, named by the key's SHA-256
 * (the record's id, which {@code docker builder prune} lists) and written atomically; a lookup whose image is
 * gone is a miss. Beside them, {@code <root>/build/results/} names the images that finished a build, so that a
 * prune never takes a build's result for a left-over step.
 */
final class BuildCache {

    /** One entry: the key as text (for people reading the directory), the image it led to, when it was made. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(@JsonProperty("key") String key, @JsonProperty("image") String image,
                 @JsonProperty("created") String created) {}

    /** A stored entry: its id (the file name), what it holds (null when unreadable), its file's size and time. */
    record Stored(String id, Entry entry, long bytes, Instant created, Path file) {
        Optional<Digest> image() {
            try {
                return entry == null ? Optional.empty() : Optional.of(Digest.parse(entry.image()));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private final Path dir;
    private final Path results;

    BuildCache(Path dir) {
        this.dir = dir;
        this.results = dir.resolveSibling("results");
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

    void put(String key, Digest image, Instant now) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Json.write(file(key), new Entry(key, image.toString(), now.toString()));
    }

    /** Records that {@code image} is what a build finished with (tagged or not). */
    void markResult(Digest image) {
        try {
            Files.createDirectories(results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path f = results.resolve(image.encoded() + ".json");
        if (!Files.exists(f)) {
            Json.write(f, new Entry(null, image.toString(), null));
        }
    }

    /** Whether a build finished with {@code image}. */
    boolean isResult(Digest image) {
        return Files.exists(results.resolve(image.encoded() + ".json"));
    }

    /** Forgets the results whose image {@code stillStored} says is gone. */
    void forgetResultsUnless(java.util.function.Predicate<Digest> stillStored) {
        if (!Files.isDirectory(results)) {
            return;
        }
        try (Stream<Path> files = Files.list(results)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json") && !stillStored.test(new Digest("sha256", name.substring(0, name.length() - 5)))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a stale result only keeps a removed image's id from being taken for a left-over: harmless
        }
    }

    /** Every entry, unreadable ones included (with a null {@link Stored#entry()}). */
    List<Stored> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Stored> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class);
                } catch (IOException gone) {
                    continue;
                }
                Entry e;
                try {
                    e = Json.read(f, Entry.class);
                } catch (RuntimeException unreadable) {
                    e = null;
                }
                Instant created = a.lastModifiedTime().toInstant();
                if (e != null && e.created() != null) {
                    try {
                        created = Instant.parse(e.created());
                    } catch (RuntimeException ignored) {
                        // the file's time
                    }
                }
                String name = f.getFileName().toString();
                out.add(new Stored(name.substring(0, name.length() - ".json".length()), e, a.size(), created, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the build cache in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Deletes an entry; true when this call deleted it. */
    boolean delete(Stored s) {
        try {
            return Files.deleteIfExists(s.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune the build cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path file(String key) {
        return dir.resolve(Digest.sha256(key.getBytes(StandardCharsets.UTF_8)).encoded() + ".json");
    }
}
