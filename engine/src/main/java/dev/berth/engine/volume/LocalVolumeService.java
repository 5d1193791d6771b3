package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Docker's {@code local} volume driver on the host's file systems: each volume is
 * {@code <root>/volumes/<name>/} holding {@code _data} (the data, bound into containers) and
 * {@code volume.json} (name, creation time, labels, options, whether the first-use copy has
 * happened, and the ids of the containers using it), written atomically.
 *
 * <p>A volume created with driver options is mounted on {@code _data} while in use:
 * {@code type=tmpfs,device=tmpfs,o=size=100m,uid=1000} gives a tmpfs (its data lives only while
 * mounted, as with Docker), {@code type=none,o=bind,device=/path} binds a host directory. Other
 * file-system types (ext4 on a block device, nfs, cifs) are refused with the reason.
 *
 * <p>All methods are serialised on the service; the volumes are few and the calls short.
 */
public final class LocalVolumeService implements VolumeService {

    /** Docker's restricted name pattern (the name is also a directory name). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final String NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
    private static final String METADATA = "volume.json";
    private static final String DATA = "_data";
    private static final Set<String> VALID_OPTS = Set.of("type", "o", "device", "size");
    private static final Set<String> LIST_FILTERS = Set.of("name", "label", "dangling", "driver");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@code volume.json} holds. */
    record VolumeRecord(String name, String driver, String createdAt, Map<String, String> labels,
                        Map<String, String> options, boolean populated, List<String> users) {
        VolumeRecord {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            options = options == null ? Map.of() : Map.copyOf(options);
            users = users == null ? List.of() : List.copyOf(users);
        }

        boolean needsMount() {
            return options.containsKey("type") || options.containsKey("device");
        }

        VolumeRecord withUsers(List<String> u) {
            return new VolumeRecord(name, driver, createdAt, labels, options, populated, u);
        }

        VolumeRecord withPopulated(boolean p) {
            return new VolumeRecord(name, driver, createdAt, labels, options, p, users);
        }
    }

    private final Path dir;
    private final EventBus events;
    private final Map<String, VolumeRecord> volumes = new TreeMap<>();

    /** Volumes under {@code <stateRoot>/volumes}, without events. */
    public LocalVolumeService(Path stateRoot) {
        this(stateRoot, null);
    }

    /**
     * Loads the volumes under {@code <stateRoot>/volumes}. A tmpfs- or bind-backed volume still
     * mounted from before with no container using it is unmounted.
     *
     * @param events where {@code volume} events (create, destroy, prune) go; may be {@code null}. Docker's
     *               per-container {@code mount} and {@code unmount} events are the container service's to send
     */
    public LocalVolumeService(Path stateRoot, EventBus events) {
        this.dir = stateRoot.toAbsolutePath().normalize().resolve("volumes");
        this.events = events;
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx-----x"));
            try (var entries = Files.list(dir)) {
                for (Path d : entries.toList()) {
                    Path meta = d.resolve(METADATA);
                    if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) {
                        VolumeRecord r = Json.read(meta, VolumeRecord.class);
                        if (r.name() != null && r.name().equals(d.getFileName().toString())) {
                            volumes.put(r.name(), r);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot read the volumes under " + dir + ": " + e.getMessage(), e);
        }
        for (VolumeRecord r : List.copyOf(volumes.values())) {
            if (r.needsMount() && r.users().isEmpty() && Mounter.isMountPoint(dataDir(r.name()))) {
                unmountData(r);
            }
        }
    }

    /** The directory that holds every volume. */
    public Path volumesDir() {
        return dir;
    }

    private Path dataDir(String name) {
        return dir.resolve(name).resolve(DATA);
    }

    // ---- create, inspect, list ----

    @Override
    public synchronized Volume create(VolumeCreate request) {
        String driver = request.driver() == null || request.driver().isEmpty() ? "local" : request.driver();
        if (!driver.equals("local")) {
            throw new EngineException.InvalidArgument("error looking up volume plugin " + driver + ": plugin \"" + driver
                    + "\" not found");
        }
        boolean anonymous = request.name() == null || request.name().isEmpty();
        String name = anonymous ? randomName() : request.name();
        validateName(name);
        validateOptions(request.driverOpts());
        VolumeRecord existing = volumes.get(name);
        if (existing != null) {
            return toVolume(existing, false);
        }
        Map<String, String> labels = new LinkedHashMap<>(request.labels());
        if (anonymous) {
            labels.put(Volume.ANONYMOUS_LABEL, "");
        }
        VolumeRecord r = new VolumeRecord(name, driver, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), labels,
                request.driverOpts(), false, List.of());
        Path root = dir.resolve(name);
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx-----x"));
            Path data = root.resolve(DATA);
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            save(r);
        } catch (IOException | UncheckedIOException e) {
            deleteTree(root);
            throw new EngineException.Unavailable("cannot create volume " + name + " under " + dir + ": " + e.getMessage(), e);
        }
        volumes.put(name, r);
        publish("create", name, Map.of("driver", driver));
        return toVolume(r, false);
    }

    private static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void validateName(String name) {
        if (name.length() == 1) {
            throw new EngineException.InvalidArgument("volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw new EngineException.InvalidArgument("\"" + name + "\" includes invalid characters for a local volume name, only \""
                    + NAME_CHARS + "\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    private static void validateOptions(Map<String, String> opts) {
        for (String key : opts.keySet().stream().sorted().toList()) {
            if (!VALID_OPTS.contains(key)) {
                throw new EngineException.InvalidArgument("invalid option: \"" + key + "\"");
            }
        }
        if (opts.containsKey("size")) {
            throw new EngineException.InvalidArgument("quota size requested but no quota support");
        }
        Map<String, List<String>> mandatory = new LinkedHashMap<>();
        mandatory.put("device", List.of("type"));
        mandatory.put("type", List.of("device"));
        mandatory.put("o", List.of("device", "type"));
        for (var e : mandatory.entrySet()) {
            if (opts.containsKey(e.getKey())) {
                for (String required : e.getValue()) {
                    if (!opts.containsKey(required)) {
                        throw new EngineException.InvalidArgument("missing required option: \"" + required + "\"");
                    }
                }
            }
        }
        String type = opts.get("type");
        if (type == null) {
            return;
        }
        SysMount.Options o = SysMount.parse(opts.get("o"));
        switch (type) {
            case "tmpfs" -> {
                if (o.bind()) {
                    throw new EngineException.InvalidArgument("volume option o=" + opts.get("o") + " binds, which a tmpfs cannot do");
                }
            }
            case "none" -> {
                if (!o.bind()) {
                    throw new EngineException.InvalidArgument("volume option type=none needs o=bind (or rbind): "
                            + "Berth's local driver mounts only tmpfs and bind mounts of host directories");
                }
                if (!opts.get("device").startsWith("/")) {
                    throw new EngineException.InvalidArgument("volume option device=" + opts.get("device")
                            + " must be an absolute host path for a bind mount");
                }
            }
            default -> throw new EngineException.InvalidArgument("volume option type=" + type + " is not supported: "
                    + "Berth's local driver mounts only type=tmpfs and type=none with o=bind (a host directory); "
                    + "mount other file systems on the host and bind them");
        }
    }

    @Override
    public synchronized Volume inspect(String name, boolean withUsage) {
        return toVolume(get(name), withUsage);
    }

    private VolumeRecord get(String name) {
        VolumeRecord r = name == null ? null : volumes.get(name);
        if (r == null) {
            throw new EngineException.NotFound("get " + name + ": no such volume");
        }
        return r;
    }

    private Volume toVolume(VolumeRecord r, boolean withUsage) {
        return new Volume(r.name(), r.driver(), dataDir(r.name()), r.createdAt(), r.labels(), "local", r.options(),
                withUsage ? new Volume.UsageData(sizeOf(dataDir(r.name())), r.users().size()) : null);
    }

    @Override
    public synchronized List<Volume> list(Map<String, List<String>> filters, boolean withUsage) {
        checkFilterKeys(filters, LIST_FILTERS);
        Boolean dangling = null;
        for (String v : filters.getOrDefault("dangling", List.of())) {
            boolean d = bool("dangling", v);
            if (dangling != null && dangling != d) {
                dangling = null; // both asked for: everything
                break;
            }
            dangling = d;
        }
        List<Pattern> names = new ArrayList<>();
        for (String n : filters.getOrDefault("name", List.of())) {
            try {
                names.add(Pattern.compile(n));
            } catch (PatternSyntaxException e) {
                names.add(Pattern.compile(Pattern.quote(n)));
            }
        }
        List<String> drivers = filters.getOrDefault("driver", List.of());
        List<String> labels = filters.getOrDefault("label", List.of());
        List<Volume> out = new ArrayList<>();
        for (VolumeRecord r : volumes.values()) {
            if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher(r.name()).find())) {
                continue;
            }
            if (!drivers.isEmpty() && !drivers.contains(r.driver())) {
                continue;
            }
            if (!labels.stream().allMatch(l -> hasLabel(r, l))) {
                continue;
            }
            if (dangling != null && dangling != r.users().isEmpty()) {
                continue;
            }
            out.add(toVolume(r, withUsage));
        }
        return out;
    }

    private static void checkFilterKeys(Map<String, List<String>> filters, Set<String> allowed) {
        for (String key : filters.keySet()) {
            if (!allowed.contains(key)) {
                throw new EngineException.InvalidArgument("invalid filter '" + key + "'");
            }
        }
    }

    private static boolean bool(String key, String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new EngineException.InvalidArgument("invalid filter '" + key + "=" + v + "'");
        };
    }

    /** {@code key} or {@code key=value}. */
    private static boolean hasLabel(VolumeRecord r, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return r.labels().containsKey(filter);
        }
        return filter.substring(eq + 1).equals(r.labels().get(filter.substring(0, eq)));
    }

    // ---- remove, prune, usage ----

    @Override
    public synchronized void remove(String name, boolean force) {
        VolumeRecord r = volumes.get(name);
        if (r == null) {
            if (force) {
                return;
            }
            throw new EngineException.NotFound("get " + name + ": no such volume");
        }
        if (!r.users().isEmpty()) {
            throw new EngineException.Conflict("remove " + name + ": volume is in use - [" + String.join(", ", r.users()) + "]");
        }
        destroy(r);
    }

    private void destroy(VolumeRecord r) {
        Path root = dir.resolve(r.name());
        if (Mounter.isMountPoint(dataDir(r.name()))) {
            unmountData(r);
        }
        List<Path> stillMounted = Mounter.mounted().stream().map(Mounter.MountInfo::mountPoint)
                .filter(p -> p.startsWith(root)).toList();
        if (!stillMounted.isEmpty()) {
            throw new EngineException.FailedPrecondition("remove " + r.name() + ": something is still mounted in the volume at "
                    + stillMounted.getFirst() + "; unmount it first");
        }
        try {
            Files.deleteIfExists(root.resolve(METADATA)); // first: a half-deleted volume is never listed
        } catch (IOException e) {
            throw new EngineException.Unavailable("remove " + r.name() + ": " + e.getMessage(), e);
        }
        volumes.remove(r.name());
        deleteTree(root);
        publish("destroy", r.name(), Map.of("driver", r.driver()));
    }

    @Override
    public synchronized PruneReport prune(Map<String, List<String>> filters) {
        checkFilterKeys(filters, PRUNE_FILTERS);
        boolean all = false;
        for (String v : filters.getOrDefault("all", List.of())) {
            all = bool("all", v);
        }
        List<String> labels = filters.getOrDefault("label", List.of());
        List<String> notLabels = filters.getOrDefault("label!", List.of());
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (VolumeRecord r : List.copyOf(volumes.values())) {
            if (!r.users().isEmpty() || (!all && !r.labels().containsKey(Volume.ANONYMOUS_LABEL))) {
                continue;
            }
            if (!labels.stream().allMatch(l -> hasLabel(r, l)) || notLabels.stream().anyMatch(l -> hasLabel(r, l))) {
                continue;
            }
            long size = r.needsMount() ? 0 : sizeOf(dataDir(r.name()));
            destroy(r);
            deleted.add(r.name());
            reclaimed += size;
        }
        if (events != null) {
            events.publish(Event.of("volume", "prune", "", Map.of("reclaimed", Long.toString(reclaimed))));
        }
        return new PruneReport(deleted, reclaimed);
    }

    @Override
    public synchronized Volume.UsageData usage(String name) {
        VolumeRecord r = get(name);
        return new Volume.UsageData(sizeOf(dataDir(name)), r.users().size());
    }

    /**
     * The entries of one directory of the volume ({@code path} absolute inside it), for the
     * volume browser; never follows a symbolic link, so nothing outside the volume is read. A
     * tmpfs- or bind-backed volume shows its data only while mounted (in use).
     */
    public List<VolumeFile> files(String name, String path) {
        Path data;
        synchronized (this) {
            get(name);
            data = dataDir(name);
        }
        return VolumeFiles.list(name, data, path);
    }

    @Override
    public synchronized Set<String> users(String name) {
        return Set.copyOf(get(name).users());
    }

    /** Bytes of the regular files under {@code data}, each inode once; links are not followed. */
    private static long sizeOf(Path data) {
        long[] total = {0};
        Set<List<Object>> seen = new HashSet<>();
        try {
            Files.walkFileTree(data, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && seen.add(List.of(attrs.fileKey() == null ? file : attrs.fileKey()))) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot measure " + data + ": " + e.getMessage(), e);
        }
        return total[0];
    }

    // ---- in use, mounts, first-use copy ----

    @Override
    public synchronized Path acquire(String name, String containerId) {
        if (containerId == null || containerId.isBlank()) {
            throw new EngineException.InvalidArgument("acquire " + name + ": a container id is required");
        }
        VolumeRecord r = get(name);
        if (r.needsMount() && !Mounter.isMountPoint(dataDir(name))) {
            mountData(r);
        }
        if (!r.users().contains(containerId)) {
            Set<String> users = new LinkedHashSet<>(r.users());
            users.add(containerId);
            r = r.withUsers(List.copyOf(users));
            save(r);
            volumes.put(name, r);
        }
        return dataDir(name);
    }

    @Override
    public synchronized void release(String name, String containerId) {
        VolumeRecord r = get(name);
        if (r.users().contains(containerId)) {
            List<String> users = new ArrayList<>(r.users());
            users.remove(containerId);
            r = r.withUsers(users);
            save(r);
            volumes.put(name, r);
        }
        if (r.users().isEmpty() && r.needsMount() && Mounter.isMountPoint(dataDir(name))) {
            unmountData(r);
        }
    }

    @Override
    public synchronized Path mountSource(String name) {
        VolumeRecord r = get(name);
        Path data = dataDir(name);
        if (r.needsMount() && !Mounter.isMountPoint(data)) {
            if (r.users().isEmpty()) {
                throw new EngineException.FailedPrecondition("volume " + name + " is mounted (" + describe(r)
                        + ") only while a container uses it: acquire it first");
            }
            mountData(r);
        }
        return data;
    }

    private static String describe(VolumeRecord r) {
        return "type=" + r.options().get("type") + ",device=" + r.options().get("device")
                + (r.options().containsKey("o") ? ",o=" + r.options().get("o") : "");
    }

    private void mountData(VolumeRecord r) {
        Map<String, String> o = r.options();
        Path data = dataDir(r.name());
        if ("none".equals(o.get("type"))) {
            Path device = Path.of(o.get("device"));
            if (!Files.isDirectory(device)) {
                throw new EngineException.FailedPrecondition("failed to mount local volume " + r.name() + ": bind device "
                        + device + " is not an existing directory");
            }
        }
        SysMount.mount(o.get("device"), data, o.get("type"), o.get("o"));
    }

    private void unmountData(VolumeRecord r) {
        Mounter.unmount(dataDir(r.name()));
        if ("tmpfs".equals(r.options().get("type")) && r.populated()) {
            // the tmpfs and its data are gone: the next first use copies again
            r = r.withPopulated(false);
            save(r);
            volumes.put(r.name(), r);
        }
    }

    @Override
    public synchronized CopyUpOutcome copyUp(String name, Path imageRoot, String containerPath) {
        VolumeRecord r = get(name);
        if (r.populated()) {
            return new CopyUpOutcome.AlreadyPopulated();
        }
        Path dest = mountSource(name);
        if (!ImageTreeCopy.isEmpty(dest)) {
            markPopulated(r);
            return new CopyUpOutcome.AlreadyPopulated();
        }
        var source = ImageTreeCopy.resolveInRoot(imageRoot, containerPath);
        if (source.isEmpty() || !Files.isDirectory(source.get(), LinkOption.NOFOLLOW_LINKS)) {
            return new CopyUpOutcome.NothingInImage(containerPath);
        }
        long entries = ImageTreeCopy.copy(source.get(), dest);
        markPopulated(r);
        return new CopyUpOutcome.Copied(entries);
    }

    private void markPopulated(VolumeRecord r) {
        VolumeRecord p = volumes.get(r.name()).withPopulated(true);
        save(p);
        volumes.put(p.name(), p);
    }

    // ---- persistence ----

    private void save(VolumeRecord r) {
        Json.write(dir.resolve(r.name()).resolve(METADATA), r);
    }

    private void publish(String action, String name, Map<String, String> attributes) {
        if (events != null) {
            events.publish(Event.of("volume", action, name, new HashMap<>(attributes)));
        }
    }

    /** Deletes {@code root} without following links; refuses to descend into a mount point. */
    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (!d.equals(root) && Mounter.isMountPoint(d)) {
                        throw new EngineException.FailedPrecondition("refusing to delete through the mount at " + d);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new EngineException.Unavailable("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
