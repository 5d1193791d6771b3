package dev.berth.engine.image;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.state.AtomicFiles;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The local image cache's metadata: image records ({@code images/<hex>.json}) and one tag index
 * ({@code repositories.json}, reference → image id, plus repo digests). Everything is loaded at
 * start and kept in memory; every change is written atomically before it is visible.
 *
 * <p>Name resolution follows Docker: a full or unique short id ({@code sha256:} optional), a
 * tagged reference ({@code busybox} means {@code busybox:latest}), or a digest reference
 * ({@code busybox@sha256:...}).
 */
public final class ImageStore {

    /** The persisted tag index: full reference strings to image ids. */
    private record Index(Map<String, String> tags, Map<String, String> digests) {
        Index {
            tags = tags == null ? new TreeMap<>() : new TreeMap<>(tags);
            digests = digests == null ? new TreeMap<>() : new TreeMap<>(digests);
        }
    }

    private final Path dir;
    private final Path indexFile;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Digest, ImageRecord> images = new HashMap<>();
    private final Path parentsFile;
    private final Map<String, String> parents = new TreeMap<>();
    private Index index;

    public ImageStore(Path dir) {
        this.dir = dir;
        this.indexFile = dir.resolve("repositories.json");
        this.parentsFile = dir.resolve("parents.json");
        load();
    }

    private void load() {
        try {
            Files.createDirectories(dir.resolve("images"));
            try (Stream<Path> files = Files.list(dir.resolve("images"))) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                    ImageRecord r = Json.read(f, ImageRecord.class);
                    images.put(r.id(), r);
                }
            }
            index = Files.exists(indexFile) ? Json.read(indexFile, Index.class) : new Index(null, null);
            // an index entry for an image whose record is gone (crash between the two writes) is dropped
            index.tags().values().removeIf(id -> !images.containsKey(Digest.parse(id)));
            index.digests().values().removeIf(id -> !images.containsKey(Digest.parse(id)));
            if (Files.exists(parentsFile)) {
                Map<String, String> read = Json.mapper().readValue(Files.readAllBytes(parentsFile), new TypeReference<>() {});
                read.forEach((child, parent) -> {
                    if (images.containsKey(Digest.parse(child)) && images.containsKey(Digest.parse(parent))) {
                        parents.put(child, parent);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the image store in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Stores (or replaces) an image record. */
    public void put(ImageRecord record) {
        lock.writeLock().lock();
        try {
            Json.write(recordFile(record.id()), record);
            images.put(record.id(), record);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Points {@code ref} (a tag, or a digest reference) at image {@code id}, moving it from any
     * other image. Returns the image that lost the tag, if any.
     */
    public Optional<Digest> tag(Reference ref, Digest id) {
        lock.writeLock().lock();
        try {
            require(id);
            Map<String, String> map = ref.digest() != null ? index.digests() : index.tags();
            String key = ref.digest() != null ? ref.name() + "@" + ref.digest() : ref.tag() == null
                    ? ref.withTag(Reference.DEFAULT_TAG).toString() : ref.toString();
            String previous = map.put(key, id.toString());
            saveIndex();
            return previous == null || previous.equals(id.toString()) ? Optional.empty() : Optional.of(Digest.parse(previous));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a tag; returns the image it pointed at. */
    public Digest untag(Reference ref) {
        lock.writeLock().lock();
        try {
            Map<String, String> map = ref.digest() != null ? index.digests() : index.tags();
            String key = ref.digest() != null ? ref.name() + "@" + ref.digest() : ref.toString();
            String id = map.remove(key);
            if (id == null) {
                throw new EngineException.NotFound("No such image: " + ref.familiar());
            }
            saveIndex();
            return Digest.parse(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Records that {@code child} was built on {@code parent} (Docker's image parent: a build step's image
     * on the step before). An untagged image with children is an intermediate image: {@code docker images}
     * hides it and removing its last child removes it too.
     */
    public void setParent(Digest child, Digest parent) {
        lock.writeLock().lock();
        try {
            require(child);
            require(parent);
            if (!parent.toString().equals(parents.put(child.toString(), parent.toString()))) {
                Json.write(parentsFile, parents);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The image {@code id} was built on, if it was built here and that image is still stored. */
    public Optional<Digest> parent(Digest id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(parents.get(id.toString())).map(Digest::parse);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether some stored image was built on {@code id}. */
    public boolean hasChildren(Digest id) {
        lock.readLock().lock();
        try {
            return parents.containsValue(id.toString());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes an image record and every tag and digest reference to it. */
    public void delete(Digest id) {
        lock.writeLock().lock();
        try {
            require(id);
            boolean linked = parents.remove(id.toString()) != null;
            linked |= parents.values().removeIf(v -> v.equals(id.toString()));
            if (linked) {
                Json.write(parentsFile, parents);
            }
            index.tags().values().removeIf(v -> v.equals(id.toString()));
            index.digests().values().removeIf(v -> v.equals(id.toString()));
            saveIndex();
            Files.deleteIfExists(recordFile(id));
            AtomicFiles.fsyncDirectory(recordFile(id).getParent());
            images.remove(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<ImageRecord> get(Digest id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(images.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Finds an image the way {@code docker image inspect NAME} does.
     *
     * @throws EngineException.NotFound "No such image: NAME"
     * @throws EngineException.InvalidArgument when a short id is ambiguous
     */
    public ImageRecord resolve(String nameOrId) {
        lock.readLock().lock();
        try {
            String s = nameOrId.startsWith("sha256:") ? nameOrId.substring("sha256:".length()) : nameOrId;
            if (s.matches("[a-f0-9]{1,64}")) {
                List<ImageRecord> byId = images.values().stream().filter(r -> r.id().encoded().startsWith(s)).toList();
                if (byId.size() == 1 && (s.length() >= 4 || nameOrId.startsWith("sha256:"))) {
                    return byId.getFirst();
                }
                if (byId.size() > 1 && s.length() < 64) {
                    throw new EngineException.InvalidArgument("image id prefix " + s + " is ambiguous: it matches "
                            + byId.size() + " images");
                }
            }
            Reference ref;
            try {
                ref = Reference.parse(nameOrId);
            } catch (EngineException.InvalidArgument e) {
                throw new EngineException.NotFound("No such image: " + nameOrId);
            }
            String id;
            if (ref.digest() != null) {
                id = index.digests().get(ref.name() + "@" + ref.digest());
                if (id == null) {
                    // a digest reference also matches the manifest digest an image was pulled as
                    id = images.values().stream().filter(r -> ref.digest().equals(r.manifestDigest()))
                            .filter(r -> repoNames(r.id()).contains(ref.name()))
                            .map(r -> r.id().toString()).findFirst().orElse(null);
                }
            } else {
                id = index.tags().get((ref.tag() == null ? ref.withTag(Reference.DEFAULT_TAG) : ref).toString());
            }
            if (id == null) {
                throw new EngineException.NotFound("No such image: " + ref.familiar());
            }
            return images.get(Digest.parse(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every image, newest first. */
    public List<ImageRecord> list() {
        lock.readLock().lock();
        try {
            List<ImageRecord> all = new ArrayList<>(images.values());
            all.sort(Comparator.comparing((ImageRecord r) -> r.created() == null ? Instant.EPOCH : r.created()).reversed());
            return all;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The tags pointing at {@code id}, as parsed references, sorted. */
    public List<Reference> tags(Digest id) {
        return refs(index.tags(), id);
    }

    /** The digest references ({@code repo@sha256:...}) recorded for {@code id}. */
    public List<Reference> repoDigests(Digest id) {
        return refs(index.digests(), id);
    }

    /** Every tag in the store, reference → image id. */
    public Map<Reference, Digest> allTags() {
        lock.readLock().lock();
        try {
            Map<Reference, Digest> out = new LinkedHashMap<>();
            index.tags().forEach((k, v) -> out.put(Reference.parse(k), Digest.parse(v)));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<Reference> refs(Map<String, String> map, Digest id) {
        lock.readLock().lock();
        try {
            return map.entrySet().stream().filter(e -> e.getValue().equals(id.toString()))
                    .map(e -> Reference.parse(e.getKey())).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<String> repoNames(Digest id) {
        List<String> names = new ArrayList<>();
        tags(id).forEach(r -> names.add(r.name()));
        repoDigests(id).forEach(r -> names.add(r.name()));
        return names;
    }

    private void require(Digest id) {
        if (!images.containsKey(id)) {
            throw new EngineException.NotFound("No such image: " + id);
        }
    }

    private Path recordFile(Digest id) {
        return dir.resolve("images").resolve(id.encoded() + ".json");
    }

    private void saveIndex() {
        Json.write(indexFile, index);
    }

    /** Reads the index as plain maps (for diagnostics and tests). */
    Map<String, Map<String, String>> rawIndex() {
        return Json.mapper().convertValue(index, new TypeReference<>() {});
    }
}
