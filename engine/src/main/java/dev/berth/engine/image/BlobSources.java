package dev.berth.engine.image;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which repositories each blob was pulled from or pushed to ({@code registry/path}), so a push to
 * another repository of the same registry can ask for a cross-repository mount instead of
 * uploading (Docker keeps the same facts as its "v2 metadata"). One JSON file, written atomically.
 */
final class BlobSources {

    private final Path file;
    private final Map<String, Set<String>> sources = new TreeMap<>();

    BlobSources(Path file) {
        this.file = file;
        if (Files.isRegularFile(file)) {
            try {
                Map<String, List<String>> m = Json.mapper().readValue(Files.readAllBytes(file), new TypeReference<>() {});
                m.forEach((k, v) -> sources.put(k, new TreeSet<>(v)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Records that {@code repository} ({@code registry/path}) has every blob in {@code blobs}. */
    synchronized void record(Collection<Digest> blobs, String repository) {
        boolean changed = false;
        for (Digest d : blobs) {
            changed |= sources.computeIfAbsent(d.toString(), k -> new TreeSet<>()).add(repository);
        }
        if (changed) {
            Json.write(file, sources);
        }
    }

    /** The repositories known to have {@code blob}. */
    synchronized List<String> repositories(Digest blob) {
        return new ArrayList<>(sources.getOrDefault(blob.toString(), Set.of()));
    }

    /** Forgets every blob not in {@code keep}. */
    synchronized void retain(Set<Digest> keep) {
        if (sources.keySet().removeIf(k -> !keep.contains(Digest.parse(k)))) {
            Json.write(file, sources);
        }
    }
}
