package dev.berth.engine.container.inspect;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.oci.Digest;
import dev.berth.engine.runtime.spec.BundleSpecBuilder;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.HostFiles;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.snapshot.Mounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Berth's X-ray of a container: the three kernel mechanisms that make a process a container, read
 * from where the kernel keeps them, for people learning what a container is.
 * <ul>
 *   <li><b>Namespaces</b>: each link in {@code /proc/<pid>/ns} of the container's init process
 *       ({@code pid:[4026532281]}: type and inode) next to the same link of the host's
 *       {@code /proc/1/ns} (see {@link #hostNamespaces()}); the same inode means the namespace is
 *       shared with the host.</li>
 *   <li><b>cgroup</b>: the container's cgroup directory in each controller (cgroup v1, and hybrid
 *       hosts) or in the one v2 tree, each limit file (memory, swap, cpu shares and quota, cpuset,
 *       pids, block I/O weight) with what was asked at create, and the usage counters.</li>
 *   <li><b>Overlay root filesystem</b>: the lower directories, newest first, each with the layer it
 *       holds (chain ID and diff ID), the upper (writable) and work directories and the merged
 *       mount point.</li>
 * </ul>
 * Reads only; nothing is cached. A stopped container has no process and no cgroup: those parts are
 * empty and {@link Report#running()} is false, its overlay is still described ({@code mounted} false).
 */
public final class Xray {

    private static final Pattern NS_LINK = Pattern.compile("^([a-z_]+):\\[(\\d+)]$");

    private final Path proc;
    private final Cgroups cgroups;

    public Xray(Path proc, Cgroups cgroups) {
        this.proc = proc;
        this.cgroups = cgroups;
    }

    /** The host's {@code /proc} and cgroup mount. */
    public static Xray host() {
        return new Xray(Path.of("/proc"), Cgroups.host());
    }

    /** The whole X-ray document ({@code GET /containers/{id}/xray}). */
    public record Report(@JsonProperty("Id") String id,
                         @JsonProperty("Name") String name,
                         @JsonProperty("Running") boolean running,
                         @JsonProperty("Pid") long pid,
                         @JsonProperty("HostNamespaces") String hostNamespaces,
                         @JsonProperty("Namespaces") List<Namespace> namespaces,
                         @JsonProperty("Cgroup") Cgroup cgroup,
                         @JsonProperty("Rootfs") Overlay rootfs) {
        public Report {
            namespaces = List.copyOf(namespaces);
        }
    }

    /**
     * One namespace of the container's init process.
     *
     * @param inode     the namespace's inode ({@code /proc/<pid>/ns/<type>}), 0 when unreadable
     * @param hostInode the same for the host ({@link #hostNamespaces()}), 0 when unreadable
     * @param shared    both are the same namespace: the container is not isolated in this respect
     */
    public record Namespace(@JsonProperty("Type") String type,
                            @JsonProperty("Inode") long inode,
                            @JsonProperty("HostInode") long hostInode,
                            @JsonProperty("Shared") boolean shared) {}

    /**
     * The container's cgroup.
     *
     * @param path   the cgroup path ({@code /berth/<id>})
     * @param layout {@code V1}, {@code HYBRID} or {@code UNIFIED}
     * @param limits the limit files, whether the container asked for a limit or not
     * @param usage  the usage counters
     */
    public record Cgroup(@JsonProperty("Path") String path,
                         @JsonProperty("Layout") String layout,
                         @JsonProperty("Limits") List<CgroupFile> limits,
                         @JsonProperty("Usage") List<CgroupFile> usage) {
        public Cgroup {
            limits = List.copyOf(limits);
            usage = List.copyOf(usage);
        }
    }

    /**
     * One cgroup control file.
     *
     * @param resource  what it governs, in Docker's words ({@code memory}, {@code memory-swap},
     *                  {@code cpu-shares}, {@code cpu-quota}, {@code cpuset-cpus}, {@code pids}, ...)
     * @param file      the file's full path on the host
     * @param value     its content, stripped; null when the file does not exist (controller missing)
     * @param requested what the container asked for, as the kernel file would show it; null when it
     *                  asked for nothing (the kernel's default applies)
     */
    public record CgroupFile(@JsonProperty("Resource") String resource,
                             @JsonProperty("Controller") String controller,
                             @JsonProperty("File") String file,
                             @JsonProperty("Value") String value,
                             @JsonProperty("Requested") String requested) {}

    /**
     * The overlay root filesystem.
     *
     * @param mounted   the overlay is mounted at {@code merged} now (while the container runs)
     * @param lowerDirs the read-only image layers, newest (topmost) first, as overlayfs stacks them
     */
    public record Overlay(@JsonProperty("Mounted") boolean mounted,
                          @JsonProperty("MergedDir") String merged,
                          @JsonProperty("LowerDirs") List<Lower> lowerDirs,
                          @JsonProperty("UpperDir") String upperDir,
                          @JsonProperty("WorkDir") String workDir) {
        public Overlay {
            lowerDirs = List.copyOf(lowerDirs);
        }
    }

    /**
     * One lower directory.
     *
     * @param chainId the snapshot's key: the layer together with every layer below it
     * @param diffId  the digest of the uncompressed layer itself; null when the image is gone
     */
    public record Lower(@JsonProperty("Dir") String dir,
                        @JsonProperty("ChainID") String chainId,
                        @JsonProperty("DiffID") String diffId) {}

    // ------------------------------------------------------------------ namespaces

    /**
     * The namespaces of process {@code pid} next to the host's (process 1), in the kernel's order
     * of {@code /proc/<pid>/ns}. Empty when the process is gone.
     */
    public List<Namespace> namespaces(long pid) {
        Path mine = proc.resolve(Long.toString(pid)).resolve("ns");
        Path host = hostNamespaces();
        List<String> types;
        try (Stream<Path> s = Files.list(mine)) {
            types = s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
        List<Namespace> out = new ArrayList<>();
        for (String type : types) {
            long inode = inode(mine.resolve(type));
            long hostInode = inode(host.resolve(type));
            out.add(new Namespace(type, inode, hostInode, inode != 0 && inode == hostInode));
        }
        return out;
    }

    /**
     * Where the host's namespaces are read: {@code /proc/1/ns} (the init process), or, where that
     * cannot be read (the engine itself runs in a sandbox without ptrace rights on process 1),
     * {@code /proc/self/ns}: the engine's own, the ones a container would share without isolation.
     */
    public Path hostNamespaces() {
        Path init = proc.resolve("1").resolve("ns");
        return inode(init.resolve("pid")) != 0 ? init : proc.resolve("self").resolve("ns");
    }

    /** The inode of a namespace link ({@code pid:[4026531836]}), 0 when it cannot be read. */
    static long inode(Path link) {
        try {
            Matcher m = NS_LINK.matcher(Files.readSymbolicLink(link).toString());
            return m.matches() ? Long.parseLong(m.group(2)) : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ cgroup

    /** The limit and usage files of {@code cgroupPath}, with the limits {@code requested} at create. */
    public Cgroup cgroup(String cgroupPath, RunSpec.Resources requested) {
        RunSpec.Resources r = requested == null ? RunSpec.Resources.NONE : requested;
        List<CgroupFile> limits = new ArrayList<>();
        List<CgroupFile> usage = new ArrayList<>();
        String quota = r.nanoCpus() == null || r.nanoCpus() <= 0 ? null
                : Long.toString(r.nanoCpus() * BundleSpecBuilder.CPU_PERIOD_US / 1_000_000_000L);
        if (cgroups.unified()) {
            limits.add(file("memory", "memory", cgroupPath, "memory.max", positive(r.memory())));
            limits.add(file("memory-swap", "memory", cgroupPath, "memory.swap.max",
                    r.memory() != null && r.memorySwap() != null && r.memorySwap() > 0
                            ? Long.toString(r.memorySwap() - r.memory()) : null));
            limits.add(file("memory-reservation", "memory", cgroupPath, "memory.low", positive(r.memoryReservation())));
            limits.add(file("cpu-weight", "cpu", cgroupPath, "cpu.weight", r.cpuShares() == null || r.cpuShares() <= 0
                    ? null : Long.toString(1 + ((r.cpuShares() - 2) * 9999) / 262142)));
            limits.add(file("cpu-quota", "cpu", cgroupPath, "cpu.max",
                    quota == null ? null : quota + " " + BundleSpecBuilder.CPU_PERIOD_US));
            limits.add(file("cpuset-cpus", "cpuset", cgroupPath, "cpuset.cpus", blankToNull(r.cpusetCpus())));
            limits.add(file("cpuset-mems", "cpuset", cgroupPath, "cpuset.mems", blankToNull(r.cpusetMems())));
            limits.add(file("pids", "pids", cgroupPath, "pids.max", positive(r.pidsLimit())));
            limits.add(file("blkio-weight", "io", cgroupPath, "io.weight", r.blkioWeight() == null || r.blkioWeight() == 0
                    ? null : "default " + r.blkioWeight()));
            usage.add(file("memory", "memory", cgroupPath, "memory.current", null));
            usage.add(file("memory-peak", "memory", cgroupPath, "memory.peak", null));
            usage.add(file("cpu", "cpu", cgroupPath, "cpu.stat", null));
            usage.add(file("pids", "pids", cgroupPath, "pids.current", null));
            usage.add(file("io", "io", cgroupPath, "io.stat", null));
        } else {
            limits.add(file("memory", "memory", cgroupPath, "memory.limit_in_bytes", positive(r.memory())));
            limits.add(file("memory-swap", "memory", cgroupPath, "memory.memsw.limit_in_bytes", swapV1(r)));
            limits.add(file("memory-reservation", "memory", cgroupPath, "memory.soft_limit_in_bytes",
                    positive(r.memoryReservation())));
            limits.add(file("cpu-shares", "cpu", cgroupPath, "cpu.shares", positive(r.cpuShares())));
            limits.add(file("cpu-quota", "cpu", cgroupPath, "cpu.cfs_quota_us", quota));
            limits.add(file("cpu-period", "cpu", cgroupPath, "cpu.cfs_period_us",
                    quota == null ? null : Long.toString(BundleSpecBuilder.CPU_PERIOD_US)));
            limits.add(file("cpuset-cpus", "cpuset", cgroupPath, "cpuset.cpus", blankToNull(r.cpusetCpus())));
            limits.add(file("cpuset-mems", "cpuset", cgroupPath, "cpuset.mems", blankToNull(r.cpusetMems())));
            limits.add(file("pids", "pids", cgroupPath, "pids.max", positive(r.pidsLimit())));
            String weight = r.blkioWeight() == null || r.blkioWeight() == 0 ? null : Integer.toString(r.blkioWeight());
            boolean bfq = Files.exists(cgroups.dir("blkio", cgroupPath).resolve("blkio.bfq.weight"));
            limits.add(file("blkio-weight", "blkio", cgroupPath, bfq ? "blkio.bfq.weight" : "blkio.weight", weight));
            usage.add(file("memory", "memory", cgroupPath, "memory.usage_in_bytes", null));
            usage.add(file("memory-peak", "memory", cgroupPath, "memory.max_usage_in_bytes", null));
            usage.add(file("cpu", "cpuacct", cgroupPath, "cpuacct.usage", null));
            usage.add(file("pids", "pids", cgroupPath, "pids.current", null));
            usage.add(file("io", "blkio", cgroupPath, "blkio.throttle.io_service_bytes_recursive", null));
        }
        return new Cgroup(cgroupPath, cgroups.layout().name(), limits, usage);
    }

    /** Docker's swap rule on v1: memory+swap is the given total, twice the memory when unset, unlimited for -1. */
    private String swapV1(RunSpec.Resources r) {
        if (r.memory() == null || r.memory() <= 0 || !cgroups.supportsSwapLimit()) {
            return null;
        }
        long swap = r.memorySwap() == null ? 0 : r.memorySwap();
        if (swap < 0) {
            return null;
        }
        return Long.toString(swap == 0 ? r.memory() * 2 : swap);
    }

    private CgroupFile file(String resource, String controller, String cgroupPath, String name, String requested) {
        Path f = cgroups.dir(controller, cgroupPath).resolve(name);
        String value;
        try {
            value = HostFiles.read(f).strip();
        } catch (IOException e) {
            value = null;
        }
        return new CgroupFile(resource, controller, f.toString(), value, requested);
    }

    private static String positive(Long v) {
        return v == null || v <= 0 ? null : Long.toString(v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ------------------------------------------------------------------ overlay

    /**
     * The overlay of a container.
     *
     * @param merged        where the root filesystem is (or would be) mounted
     * @param mounted       whether it is mounted now
     * @param mounts        the snapshot's mounts
     * @param chainIds      the chain IDs of the snapshots behind the lower directories, newest first
     *                      (the snapshot parents from the container's writable snapshot down)
     * @param imageDiffIds  the image's diff IDs, bottom first; empty when the image is gone
     */
    public static Overlay overlay(Path merged, boolean mounted, Mounts mounts, List<String> chainIds, List<Digest> imageDiffIds) {
        List<Path> dirs = mounts.lowerDirs();
        List<Digest> imageChains = dev.berth.engine.snapshot.ChainIds.of(imageDiffIds);
        List<Lower> lowers = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            String chain = i < chainIds.size() ? chainIds.get(i) : null;
            String diff = null;
            for (int j = 0; j < imageChains.size(); j++) {
                if (imageChains.get(j).toString().equals(chain)) {
                    diff = imageDiffIds.get(j).toString();
                }
            }
            lowers.add(new Lower(dirs.get(i).toString(), chain, diff));
        }
        return new Overlay(mounted, merged.toString(), lowers, mounts.upperDir().map(Path::toString).orElse(null),
                mounts.workDir().map(Path::toString).orElse(null));
    }
}
