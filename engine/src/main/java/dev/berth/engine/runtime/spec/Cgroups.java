package dev.berth.engine.runtime.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host's cgroup layout and where a container's cgroup files live in it. Three layouts exist:
 * v1 (one hierarchy per controller under {@code /sys/fs/cgroup/<controller>}), hybrid (v1
 * controllers plus an empty v2 tree at {@code /sys/fs/cgroup/unified}) and unified v2 (one tree at
 * {@code /sys/fs/cgroup}). Paths given here are cgroup paths such as {@code /berth/<id>}.
 */
public final class Cgroups {

    public enum Layout { V1, HYBRID, UNIFIED }

    private final Path mountRoot;
    private final Layout layout;

    public Cgroups(Path mountRoot) {
        this.mountRoot = mountRoot;
        if (Files.exists(mountRoot.resolve("cgroup.controllers"))) {
            layout = Layout.UNIFIED;
        } else if (Files.exists(mountRoot.resolve("unified/cgroup.controllers"))) {
            layout = Layout.HYBRID;
        } else {
            layout = Layout.V1;
        }
    }

    /** The layout mounted at {@code /sys/fs/cgroup}. */
    public static Cgroups host() {
        return new Cgroups(Path.of("/sys/fs/cgroup"));
    }

    public Layout layout() {
        return layout;
    }

    public boolean unified() {
        return layout == Layout.UNIFIED;
    }

    /** The directory of {@code cgroupPath} for a v1 controller, or the one v2 directory. */
    public Path dir(String controller, String cgroupPath) {
        String rel = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        return unified() ? mountRoot.resolve(rel) : mountRoot.resolve(controller).resolve(rel);
    }

    /** The file holding the memory limit: {@code memory.limit_in_bytes} (v1) or {@code memory.max} (v2). */
    public Path memoryLimitFile(String cgroupPath) {
        return dir("memory", cgroupPath).resolve(unified() ? "memory.max" : "memory.limit_in_bytes");
    }

    /** {@code pids.max} in either layout. */
    public Path pidsMaxFile(String cgroupPath) {
        return dir("pids", cgroupPath).resolve("pids.max");
    }

    /** {@code cpu.cfs_quota_us} (v1, microseconds) or {@code cpu.max} ("quota period", v2). */
    public Path cpuQuotaFile(String cgroupPath) {
        return dir("cpu", cgroupPath).resolve(unified() ? "cpu.max" : "cpu.cfs_quota_us");
    }

    /** Whether the memory controller can limit swap (v1 needs swap accounting: {@code memory.memsw.*}). */
    public boolean supportsSwapLimit() {
        if (!unified()) {
            return Files.exists(mountRoot.resolve("memory/memory.memsw.limit_in_bytes"));
        }
        if (!controllers().contains("memory")) {
            return false;
        }
        // memory.swap.max exists in non-root cgroups only when the kernel accounts swap; look at our own
        String own = ownV2Path();
        return own == null || own.equals("/") || Files.exists(dir("", own).resolve("memory.swap.max"));
    }

    /** This process's cgroup in the v2 tree ({@code 0::/path} in {@code /proc/self/cgroup}), or null. */
    private static String ownV2Path() {
        try {
            for (String line : HostFiles.read(Path.of("/proc/self/cgroup")).split("\n")) {
                if (line.startsWith("0::")) {
                    return line.substring(3).strip();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Whether a block I/O weight can be set (CFQ/BFQ on v1, the io controller on v2). */
    public boolean supportsBlkioWeight() {
        if (unified()) {
            return controllers().contains("io");
        }
        return Files.exists(mountRoot.resolve("blkio/blkio.weight")) || Files.exists(mountRoot.resolve("blkio/blkio.bfq.weight"));
    }

    /** Whether CFS bandwidth (a CPU quota) is available. */
    public boolean supportsCpuQuota() {
        return unified() ? controllers().contains("cpu") : Files.exists(mountRoot.resolve("cpu/cpu.cfs_quota_us"));
    }

    /** Whether the pids controller is available. */
    public boolean supportsPids() {
        return unified() ? controllers().contains("pids") : Files.isDirectory(mountRoot.resolve("pids"));
    }

    private List<String> controllers() {
        try {
            return List.of(HostFiles.read(mountRoot.resolve("cgroup.controllers")).strip().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The pids in {@code cgroupPath} ({@code cgroup.procs}), read from the pids or memory
     * hierarchy on v1, the one tree on v2; empty when the cgroup does not exist.
     */
    public List<Long> procs(String cgroupPath) {
        List<Path> candidates = unified() ? List.of(dir("", cgroupPath))
                : List.of(dir("pids", cgroupPath), dir("memory", cgroupPath), dir("cpu", cgroupPath), dir("devices", cgroupPath));
        for (Path d : candidates) {
            Path procs = d.resolve("cgroup.procs");
            try {
                List<Long> out = new ArrayList<>();
                for (String line : Files.readAllLines(procs, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(Long.parseLong(line.strip()));
                    }
                }
                return out;
            } catch (NoSuchFileException e) {
                // try the next hierarchy
            } catch (IOException e) {
                return List.of();
            }
        }
        return List.of();
    }

    /** Every directory of {@code cgroupPath} that exists, in all hierarchies (v1 controllers, unified, named). */
    public List<Path> existingDirs(String cgroupPath) {
        String rel = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
        if (unified()) {
            Path d = mountRoot.resolve(rel);
            return Files.isDirectory(d) ? List.of(d) : List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(mountRoot)) {
            for (Path h : hierarchies.toList()) {
                Path d = h.resolve(rel);
                if (Files.isDirectory(h) && !Files.isSymbolicLink(h) && Files.isDirectory(d)) {
                    out.add(d);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * Removes the (empty of processes) cgroup {@code cgroupPath} from every hierarchy, children
     * first. Returns the directories that could not be removed (still busy).
     */
    public List<Path> remove(String cgroupPath) {
        List<Path> left = new ArrayList<>();
        for (Path d : existingDirs(cgroupPath)) {
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(d)) {
                dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            } catch (IOException e) {
                left.add(d);
                continue;
            }
            for (Path sub : dirs) {
                try {
                    Files.deleteIfExists(sub); // rmdir: cgroupfs directories are removed while their control files remain
                } catch (DirectoryNotEmptyException e) {
                    left.add(sub);
                } catch (IOException e) {
                    left.add(sub);
                }
            }
        }
        return left;
    }

    @Override
    public String toString() {
        return "cgroups " + layout + " at " + mountRoot;
    }

    /** The container's cgroup path as Berth names it (cgroupfs driver): {@code /berth/<id>}. */
    public static String containerPath(String id) {
        return "/berth/" + id;
    }
}
