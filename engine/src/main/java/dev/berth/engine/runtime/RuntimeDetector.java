package dev.berth.engine.runtime;

import dev.berth.engine.state.FileTrees;
import dev.berth.engine.state.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

    private final Path workDir;
    private final List<String> searchPath;

    /** @param workDir a directory the probe may create its throw-away bundles in */
    public RuntimeDetector(Path workDir) {
        this(workDir, defaultSearchPath());
    }

    private RuntimeDetector(Path workDir, List<String> searchPath) {
        this.workDir = workDir;
        this.searchPath = List.copyOf(searchPath);
    }

    /** A detector that looks for runtimes only in {@code dirs} (in order). */
    public static RuntimeDetector withSearchPath(Path workDir, List<String> dirs) {
        return new RuntimeDetector(workDir, dirs);
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
        List<HostTools.Candidate> candidates = new ArrayList<>();
        for (String name : RUNTIMES) {
            findOnPath(name).ifPresent(path -> {
                HostTools.Tool tool = new HostTools.Tool(name, path.toString(), version(path));
                String problem = probe(path);
                candidates.add(new HostTools.Candidate(tool, problem == null, problem));
            });
        }
        Optional<HostTools.Tool> runtime = candidates.stream().filter(HostTools.Candidate::works)
                .map(HostTools.Candidate::tool).findFirst();
        HostTools tools = new HostTools(runtime, List.copyOf(candidates),
                findFirst(CONMON_PATHS).map(p -> new HostTools.Tool("conmon", p.toString(), version(p))),
                findFirst(NETAVARK_PATHS).map(p -> new HostTools.Tool("netavark", p.toString(), version(p))),
                findFirst(AARDVARK_PATHS).map(p -> new HostTools.Tool("aardvark-dns", p.toString(), version(p))));
        LOG.log(System.Logger.Level.INFO, "OCI runtime: " + tools.summary());
        return tools;
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
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
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
