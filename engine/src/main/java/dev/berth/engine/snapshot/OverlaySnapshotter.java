package dev.berth.engine.snapshot;

import dev.berth.engine.state.FileTrees;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Posix;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link Snapshotter} on overlayfs. Under its root:
 * <pre>
 *   metadata.json          every snapshot: key, kind, parent, numeric id, labels (written atomically)
 *   snapshots/&lt;id&gt;/fs      the snapshot's own layer (an overlay lower once committed, the upper while active)
 *   snapshots/&lt;id&gt;/work    overlay's work dir, for active snapshots with a parent
 * </pre>
 * Numbered directories keep the overlay option string short (see {@link Mounter}).
 *
 * <p>Crash safety: directories are created before the metadata names them and deleted after
 * the metadata forgets them, so a crash leaves at worst an unnamed directory, which
 * {@link #cleanup()} removes. A commit flushes the layer ({@code syncfs}) before the metadata
 * write that makes it committed.
 *
 * <p>One engine owns a root (the state root lock); within it the methods are synchronized.
 */
public final class OverlaySnapshotter implements Snapshotter {

    /** What metadata.json holds. */
    record Metadata(long nextId, Map<String, Entry> snapshots) {}

    /** One snapshot in metadata.json. */
    record Entry(long id, Kind kind, String parent, Map<String, String> labels, String created, Long size, Long inodes) {}

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final Path dirs;
    private final Path metadataFile;
    private final Map<String, Entry> snapshots = new TreeMap<>();
    private long nextId = 1;

    private OverlaySnapshotter(Path root) {
        this.root = root;
        this.dirs = root.resolve("snapshots");
        this.metadataFile = root.resolve("metadata.json");
    }

    /**
     * Opens (creating if needed) the snapshotter under {@code root} and runs {@link #cleanup()}.
     */
    public static OverlaySnapshotter open(Path root) {
        OverlaySnapshotter s = new OverlaySnapshotter(root.toAbsolutePath().normalize());
        try {
            Files.createDirectories(s.dirs);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot create the snapshot directory " + s.dirs + ": " + e.getMessage(), e);
        }
        if (Files.exists(s.metadataFile)) {
            Metadata m = Json.read(s.metadataFile, Metadata.class);
            s.nextId = m.nextId();
            if (m.snapshots() != null) {
                s.snapshots.putAll(m.snapshots());
            }
        }
        s.cleanup();
        return s;
    }

    @Override
    public synchronized Info stat(String key) {
        Entry e = get(key);
        return info(key, e);
    }

    @Override
    public synchronized Usage usage(String key) {
        Entry e = get(key);
        if (e.kind() == Kind.COMMITTED && e.size() != null && e.inodes() != null) {
            return new Usage(e.size(), e.inodes());
        }
        return measure(fs(e));
    }

    @Override
    public synchronized Mounts mounts(String key) {
        Entry e = get(key);
        return switch (e.kind()) {
            case COMMITTED -> throw new EngineException.FailedPrecondition("snapshot " + key
                    + " is committed and cannot be mounted; make a view or an active snapshot on top of it");
            case ACTIVE -> {
                if (e.parent() == null) {
                    yield new Mounts("bind", fs(e).toString(), List.of("rbind", "rw"));
                }
                List<String> opts = new ArrayList<>();
                opts.add("lowerdir=" + String.join(":", lowers(e.parent()).stream().map(Path::toString).toList()));
                opts.add("upperdir=" + fs(e));
                opts.add("workdir=" + dir(e.id()).resolve("work"));
                opts.addAll(indexOff());
                opts.addAll(plainUpper());
                yield new Mounts("overlay", "overlay", opts);
            }
            case VIEW -> {
                if (e.parent() == null) {
                    yield new Mounts("bind", fs(e).toString(), List.of("rbind", "ro"));
                }
                List<Path> lowers = lowers(e.parent());
                if (lowers.size() == 1) {
                    yield new Mounts("bind", lowers.getFirst().toString(), List.of("rbind", "ro"));
                }
                List<String> opts = new ArrayList<>();
                opts.add("lowerdir=" + String.join(":", lowers.stream().map(Path::toString).toList()));
                opts.addAll(indexOff());
                yield new Mounts("overlay", "overlay", opts);
            }
        };
    }

    @Override
    public synchronized Mounts prepare(String key, String parent, Map<String, String> labels) {
        create(key, parent, labels, Kind.ACTIVE);
        return mounts(key);
    }

    @Override
    public synchronized Mounts view(String key, String parent, Map<String, String> labels) {
        create(key, parent, labels, Kind.VIEW);
        return mounts(key);
    }

    private void create(String key, String parent, Map<String, String> labels, Kind kind) {
        checkKey(key);
        if (snapshots.containsKey(key)) {
            throw new EngineException.AlreadyExists("snapshot " + key + " already exists");
        }
        if (parent != null) {
            Entry p = snapshots.get(parent);
            if (p == null) {
                throw new EngineException.NotFound("parent snapshot " + parent + " of " + key + " does not exist");
            }
            if (p.kind() != Kind.COMMITTED) {
                throw new EngineException.FailedPrecondition("parent snapshot " + parent + " of " + key + " is not committed");
            }
        }
        long id = nextId;
        while (Files.exists(dir(id), NOFOLLOW)) {
            id++; // a directory a crash left behind before its metadata was written
        }
        Path d = dir(id);
        try {
            Files.createDirectories(d.resolve("fs"));
            if (kind == Kind.ACTIVE) {
                Files.createDirectories(d.resolve("work"));
            }
            Posix.chmod(d.resolve("fs"), 0755);
        } catch (IOException e) {
            deleteTree(d);
            throw new EngineException.Unavailable("cannot create snapshot " + key + " in " + d + ": " + e.getMessage(), e);
        }
        nextId = id + 1;
        snapshots.put(key, new Entry(id, kind, parent, Map.copyOf(labels), Instant.now().toString(), null, null));
        try {
            save();
        } catch (RuntimeException e) {
            snapshots.remove(key);
            deleteTree(d);
            throw e;
        }
    }

    @Override
    public synchronized void commit(String name, String key) {
        commit(name, key, get(key).parent(), false);
    }

    @Override
    public synchronized void commit(String name, String key, String parent) {
        commit(name, key, parent, true);
    }

    private void commit(String name, String key, String parent, boolean reparent) {
        checkKey(name);
        Entry e = get(key);
        if (reparent) {
            if (e.kind() == Kind.ACTIVE && e.parent() != null) {
                throw new EngineException.FailedPrecondition("snapshot " + key + " already has the parent " + e.parent()
                        + "; only a snapshot prepared without a parent can be stacked at commit");
            }
            if (parent != null) {
                Entry p = snapshots.get(parent);
                if (p == null) {
                    throw new EngineException.NotFound("parent snapshot " + parent + " of " + name + " does not exist");
                }
                if (p.kind() != Kind.COMMITTED) {
                    throw new EngineException.FailedPrecondition("parent snapshot " + parent + " of " + name
                            + " is not committed");
                }
            }
        }
        if (e.kind() != Kind.ACTIVE) {
            throw new EngineException.FailedPrecondition("snapshot " + key + " is " + e.kind().name().toLowerCase()
                    + "; only an active snapshot can be committed");
        }
        if (snapshots.containsKey(name)) {
            throw new EngineException.AlreadyExists("snapshot " + name + " already exists");
        }
        Path fs = fs(e);
        Usage usage = measure(fs);
        try {
            Posix.syncfs(fs);
        } catch (IOException ex) {
            throw new EngineException.Unavailable("cannot flush snapshot " + key + " to disk: " + ex.getMessage(), ex);
        }
        Map<String, String> labels = new HashMap<>(e.labels());
        labels.remove(TRANSIENT_LABEL);
        snapshots.remove(key);
        snapshots.put(name, new Entry(e.id(), Kind.COMMITTED, parent, Map.copyOf(labels), Instant.now().toString(), usage.size(),
                usage.inodes()));
        try {
            save();
        } catch (RuntimeException ex) {
            snapshots.remove(name);
            snapshots.put(key, e);
            throw ex;
        }
        deleteTree(dir(e.id()).resolve("work"));
    }

    @Override
    public synchronized void remove(String key) {
        Entry e = get(key);
        List<String> children = snapshots.entrySet().stream().filter(c -> key.equals(c.getValue().parent()))
                .map(Map.Entry::getKey).toList();
        if (!children.isEmpty()) {
            throw new EngineException.FailedPrecondition("snapshot " + key + " cannot be removed: it is the parent of "
                    + String.join(", ", children));
        }
        Path d = dir(e.id());
        if (isMounted(d)) {
            throw new EngineException.FailedPrecondition("snapshot " + key + " cannot be removed: it is mounted");
        }
        snapshots.remove(key);
        try {
            save();
        } catch (RuntimeException ex) {
            snapshots.put(key, e);
            throw ex;
        }
        deleteTree(d);
    }

    @Override
    public synchronized void walk(Consumer<Info> fn) {
        for (Map.Entry<String, Entry> e : new TreeMap<>(snapshots).entrySet()) {
            fn.accept(info(e.getKey(), e.getValue()));
        }
    }

    @Override
    public synchronized List<String> cleanup() {
        List<String> removed = new ArrayList<>();
        List<String> transients = snapshots.entrySet().stream()
                .filter(e -> e.getValue().kind() == Kind.ACTIVE && e.getValue().labels().containsKey(TRANSIENT_LABEL))
                .map(Map.Entry::getKey).toList();
        for (String key : transients) {
            boolean hasChildren = snapshots.values().stream().anyMatch(c -> key.equals(c.parent()));
            if (!hasChildren) {
                snapshots.remove(key);
                removed.add(key);
            }
        }
        if (!removed.isEmpty()) {
            save();
        }
        Set<Long> known = new HashSet<>();
        snapshots.values().forEach(e -> known.add(e.id()));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dirs)) {
            for (Path d : ds) {
                String name = d.getFileName().toString();
                boolean ours = name.chars().allMatch(Character::isDigit) && !name.isEmpty() && known.contains(Long.parseLong(name));
                if (!ours && !isMounted(d)) {
                    deleteTree(d);
                    removed.add(d.toString());
                }
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot list " + dirs + ": " + e.getMessage(), e);
        }
        return removed;
    }

    // ---- helpers

    private Entry get(String key) {
        Entry e = key == null ? null : snapshots.get(key);
        if (e == null) {
            throw new EngineException.NotFound("snapshot " + key + " does not exist");
        }
        return e;
    }

    private static void checkKey(String key) {
        if (key == null || key.isBlank()) {
            throw new EngineException.InvalidArgument("a snapshot key must not be empty");
        }
    }

    private Info info(String key, Entry e) {
        return new Info(key, e.kind(), e.parent(), e.labels() == null ? Map.of() : e.labels(), Instant.parse(e.created()));
    }

    private Path dir(long id) {
        return dirs.resolve(Long.toString(id));
    }

    private Path fs(Entry e) {
        return dir(e.id()).resolve("fs");
    }

    /** The fs dirs of {@code top} and its ancestors, newest first. */
    private List<Path> lowers(String top) {
        List<Path> out = new ArrayList<>();
        String k = top;
        while (k != null) {
            Entry e = get(k);
            out.add(fs(e));
            k = e.parent();
        }
        return out;
    }

    /** {@code index=off} when the kernel knows the option: lowers are shared between many mounts. */
    private static List<String> indexOff() {
        return Files.exists(Path.of("/sys/module/overlay/parameters/index")) ? List.of("index=off") : List.of();
    }

    /**
     * {@code redirect_dir=off,metacopy=off} where the kernel knows them: every change then lives
     * in the upper dir as whole files and directories, which is what a changeset (docker diff,
     * commit) reads. A rename of a lower directory falls back to copying, as in Docker.
     */
    private static List<String> plainUpper() {
        List<String> out = new ArrayList<>();
        if (Files.exists(Path.of("/sys/module/overlay/parameters/redirect_dir"))) {
            out.add("redirect_dir=off");
        }
        if (Files.exists(Path.of("/sys/module/overlay/parameters/metacopy"))) {
            out.add("metacopy=off");
        }
        return out;
    }

    private void save() {
        Json.write(metadataFile, new Metadata(nextId, new TreeMap<>(snapshots)));
    }

    private static boolean isMounted(Path snapshotDir) {
        String prefix = snapshotDir.toString() + "/";
        for (Mounter.MountInfo m : Mounter.mounted()) {
            if (m.mountPoint().startsWith(snapshotDir) || (m.root() + "/").startsWith(prefix)) {
                return true;
            }
            for (String opt : m.superOptions().split(",")) {
                int eq = opt.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                for (String p : opt.substring(eq + 1).split(":")) {
                    if ((p + "/").startsWith(prefix)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Usage measure(Path fs) {
        long[] totals = new long[2];
        Set<String> seen = new HashSet<>();
        try {
            Files.walkFileTree(fs, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!d.equals(fs)) {
                        count(d, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    count(f, attrs);
                    return FileVisitResult.CONTINUE;
                }

                private void count(Path p, BasicFileAttributes attrs) {
                    if (seen.add(String.valueOf(attrs.fileKey()))) {
                        totals[1]++;
                        if (attrs.isRegularFile()) {
                            totals[0] += attrs.size();
                        }
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + fs + ": " + e.getMessage(), e);
        }
        return new Usage(totals[0], totals[1]);
    }

    private static void deleteTree(Path p) {
        try {
            FileTrees.deleteTree(p);
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "overlay snapshotter at " + root;
    }
}
