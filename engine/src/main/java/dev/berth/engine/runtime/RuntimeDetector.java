package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.state.FileTrees;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the OCI runtimes, conmon and netavark on this host, and proves which runtime works
 * by running a tiny container with it ({@code /bin/true} in a read-only rootfs made of the
 * host's {@code /usr}). A runtime that is installed but cannot start a container here (crun
 * on a hybrid cgroup layout, for instance) is reported with its error and not used. Among
 * the ones that work, crun is preferred because it starts containers faster.
 *
 * <p>The probe costs a real container start (a few hundred milliseconds), so with a cache file
 * ({@link #withCache}) the verdict is kept in the state root and reused while nothing it depends
 * on changed: every binary found (runtimes, conmon, netavark, aardvark-dns: path, size and
 * modification time) and the kernel release. An upgrade of any of them, or a new kernel, runs
 * the probe again. A cache file that cannot be read is ignored (and rewritten).
 */
public final class RuntimeDetector {

    private static final System.Logger LOG = System.getLogger(RuntimeDetector.class.getName());

    /** Runtimes in order of preference. */
    private static final List<String> RUNTIMES = List.of("crun", "runc");
    private static final List<String> BIN_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final List<String> CONMON_PATHS = List.of("/usr/bin/conmon", "/usr/libexec/podman/conmon", "/usr/local/bin/conmon", "/usr/local/libexec/podman/conmon");
    private static final List<String> NETAVARK_PATHS = List.of("/usr/lib/podman/netavark", "/usr/libexec/podman/netavark", "/usr/local/lib/podman/netavark", "/usr/bin/netavark");
    private static final List<String> AARDVARK_PATHS = List.of("/usr/lib/podman/aardvark-dns", "/usr/libexec/podman/aardvark-dns", "/usr/local/lib/podman/aardvark-dns", "/usr/bin/aardvark-dns");
    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)");

    private static final Path KERNEL_RELEASE = Path.of("/proc/sys/kernel/osrelease");

    private final Path workDir;
    private final List<String> searchPath;
    /** Where the verdict is kept between starts; null: probe every time. */
    private final Path cacheFile;
    private final Path kernelRelease;

    /** @param workDir a directory the probe may create its throw-away bundles in */
    public RuntimeDetector(Path workDir) {
        this(workDir, defaultSearchPath(), null, KERNEL_RELEASE);
    }

    private RuntimeDetector(Path workDir, List<String> searchPath, Path cacheFile, Path kernelRelease) {
        this.workDir = workDir;
        this.searchPath = List.copyOf(searchPath);
        this.cacheFile = cacheFile;
        this.kernelRelease = kernelRelease;
    }

    /** A detector that looks for runtimes only in {@code dirs} (in order). */
    public static RuntimeDetector withSearchPath(Path workDir, List<String> dirs) {
        return new RuntimeDetector(workDir, dirs, null, KERNEL_RELEASE);
    }

    /** This detector, keeping its verdict in {@code file} (written atomically) and reusing it while it holds. */
    public RuntimeDetector withCache(Path file) {
        return new RuntimeDetector(workDir, searchPath, file, kernelRelease);
    }

    /** This detector, reading the kernel release from {@code file} instead of {@code /proc/sys/kernel/osrelease}. */
    RuntimeDetector withKernelRelease(Path file) {
        return new RuntimeDetector(workDir, searchPath, cacheFile, file);
    }

    private static List<String> defaultSearchPath() {
        List<String> dirs = new ArrayList<>(BIN_DIRS);
        String envPath = System.getenv("PATH");
        if (envPath != null) {
            dirs.addAll(List.of(envPath.split(":")));
        }
        return dirs;
    }

    public HostTools detect() {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String name : RUNTIMES) {
            findOnPath(name).ifPresent(p -> found.put(name, p));
        }
        findFirst(CONMON_PATHS).ifPresent(p -> found.put("conmon", p));
        findFirst(NETAVARK_PATHS).ifPresent(p -> found.put("netavark", p));
        findFirst(AARDVARK_PATHS).ifPresent(p -> found.put("aardvark-dns", p));
        Fingerprint fingerprint = fingerprint(found);
        if (cacheFile != null) {
            Optional<HostTools> cached = readCache(fingerprint);
            if (cached.isPresent()) {
                LOG.log(System.Logger.Level.INFO, "OCI runtime: " + cached.get().summary() + " (probe verdict cached in " + cacheFile + ")");
                return cached.get();
            }
        }
        List<HostTools.Candidate> candidates = new ArrayList<>();
        for (String name : RUNTIMES) {
            Path path = found.get(name);
            if (path != null) {
                HostTools.Tool tool = new HostTools.Tool(name, path.toString(), version(path));
                String problem = probe(path);
                candidates.add(new HostTools.Candidate(tool, problem == null, problem));
            }
        }
        Optional<HostTools.Tool> runtime = candidates.stream().filter(HostTools.Candidate::works)
                .map(HostTools.Candidate::tool).findFirst();
        HostTools tools = new HostTools(runtime, List.copyOf(candidates),
                Optional.ofNullable(found.get("conmon")).map(p -> new HostTools.Tool("conmon", p.toString(), version(p))),
                Optional.ofNullable(found.get("netavark")).map(p -> new HostTools.Tool("netavark", p.toString(), version(p))),
                Optional.ofNullable(found.get("aardvark-dns")).map(p -> new HostTools.Tool("aardvark-dns", p.toString(), version(p))));
        LOG.log(System.Logger.Level.INFO, "OCI runtime: " + tools.summary());
        if (cacheFile != null) {
            writeCache(fingerprint, tools);
        }
        return tools;
    }

    // ------------------------------------------------------------------ the probe cache

    /** One binary as the cache knows it: a change of any field means a different binary. */
    record Binary(String role, String path, long size, long mtimeNanos) {}

    /** Everything a verdict depends on. */
    record Fingerprint(String kernelRelease, List<Binary> binaries) {}

    /** What the cache file holds: the fingerprint and the tools found with it. */
    record CachedTools(Fingerprint fingerprint, HostTools.Tool runtime, List<HostTools.Candidate> candidates,
                       HostTools.Tool conmon, HostTools.Tool netavark, HostTools.Tool aardvarkDns) {}

    private Fingerprint fingerprint(Map<String, Path> found) {
        List<Binary> binaries = new ArrayList<>();
        found.forEach((role, path) -> {
            try {
                // the file itself, not a symlink to it: an upgrade replaces the target
                var attrs = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
                binaries.add(new Binary(role, path.toRealPath().toString(), attrs.size(),
                        attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
            } catch (IOException e) {
                binaries.add(new Binary(role, path.toString(), -1, -1));
            }
        });
        String kernel;
        try {
            kernel = Files.readString(kernelRelease, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            kernel = "unknown";
        }
        return new Fingerprint(kernel, List.copyOf(binaries));
    }

    private Optional<HostTools> readCache(Fingerprint fingerprint) {
        if (!Files.isRegularFile(cacheFile)) {
            return Optional.empty();
        }
        try {
            CachedTools c = Json.read(cacheFile, CachedTools.class);
            if (c.fingerprint() == null || !c.fingerprint().equals(fingerprint) || c.candidates() == null) {
                LOG.log(System.Logger.Level.INFO, "runtime binaries or kernel changed since the last probe: probing again");
                return Optional.empty();
            }
            return Optional.of(new HostTools(Optional.ofNullable(c.runtime()), List.copyOf(c.candidates()),
                    Optional.ofNullable(c.conmon()), Optional.ofNullable(c.netavark()), Optional.ofNullable(c.aardvarkDns())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring unreadable runtime probe cache " + cacheFile + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void writeCache(Fingerprint fingerprint, HostTools tools) {
        try {
            Json.write(cacheFile, new CachedTools(fingerprint, tools.runtime().orElse(null), tools.candidates(),
                    tools.conmon().orElse(null), tools.netavark().orElse(null), tools.aardvarkDns().orElse(null)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the runtime probe verdict in " + cacheFile + ": " + e.getMessage());
        }
    }

    private Optional<Path> findOnPath(String name) {
        return findFirst(searchPath.stream().map(d -> d + "/" + name).toList());
    }

    private static Optional<Path> findFirst(List<String> candidates) {
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** The first dotted version number the binary prints for {@code --version}, or "unknown". */
    static String version(Path binary) {
        Result r = run(List.of(binary.toString(), "--version"), 5);
        Matcher m = VERSION.matcher(r.output);
        return r.exit == 0 && m.find() ? m.group(1) : "unknown";
    }

    /** Runs {@code /bin/true} in a container with the given runtime; null when it worked, else the reason. */
    private String probe(Path runtime) {
        String id = "berth-probe-" + UUID.randomUUID().toString().substring(0, 8);
        Path bundle = workDir.resolve(id);
        try {
            Path rootfs = bundle.resolve("rootfs");
            Files.createDirectories(rootfs);
            Files.createDirectories(workDir.resolve("state"));
            List<Map<String, Object>> mounts = new ArrayList<>();
            mounts.add(Map.of("destination", "/proc", "type", "proc", "source", "proc"));
            mounts.add(bind("/usr"));
            for (String top : List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32")) {
                Path host = Path.of("/", top);
                if (Files.isSymbolicLink(host)) {
                    Files.createSymbolicLink(rootfs.resolve(top), Files.readSymbolicLink(host));
                } else if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                    mounts.add(bind(host.toString()));
                }
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("ociVersion", "1.0.2");
            spec.put("process", Map.of(
                    "terminal", false,
                    "user", Map.of("uid", 0, "gid", 0),
                    "args", List.of("/bin/true"),
                    "env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"),
                    "cwd", "/",
                    "noNewPrivileges", true));
            spec.put("root", Map.of("path", "rootfs", "readonly", true));
            spec.put("hostname", "probe");
            spec.put("mounts", mounts);
            spec.put("linux", Map.of(
                    "namespaces", List.of(Map.of("type", "pid"), Map.of("type", "mount"), Map.of("type", "ipc"),
                            Map.of("type", "uts"), Map.of("type", "network")),
                    "cgroupsPath", "/" + id));
            Files.write(bundle.resolve("config.json"), Json.toBytes(spec));
            Result r = run(List.of(runtime.toString(), "--root", workDir.resolve("state").toString(),
                    "run", "--bundle", bundle.toString(), id), 20);
            if (r.exit == 0) {
                return null;
            }
            String out = r.output.strip();
            return out.isEmpty() ? "exit status " + r.exit : lastLine(out);
        } catch (IOException e) {
            return "probe failed: " + e.getMessage();
        } finally {
            run(List.of(runtime.toString(), "--root", workDir.resolve("state").toString(), "delete", "--force", id), 5);
            deleteTree(bundle);
        }
    }

    private static Map<String, Object> bind(String path) {
        return Map.of("destination", path, "type", "bind", "source", path, "options", List.of("rbind", "ro", "nosuid", "nodev"));
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\n");
        return lines[lines.length - 1];
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, int timeoutSeconds) {
        try {
            Commands.Result r = Commands.runMerged(command, Duration.ofSeconds(timeoutSeconds));
            return new Result(r.exit(), r.out());
        } catch (EngineException.Unavailable e) {
            return new Result(-1, e.getMessage()); // a probe that cannot run or times out is a failed probe
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove probe bundle " + dir + ": " + e.getMessage());
        }
    }
}
