package dev.berth.engine.runtime.spec;

import dev.berth.engine.errors.EngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a {@link RunSpec} into the OCI {@code config.json} runc runs, with Docker's defaults:
 * Docker's capability set, its mounts, devices, masked and read-only paths, {@code nofile} from the
 * engine's own limits, every rlimit clamped to the engine's hard limits, the cgroup at
 * {@code /berth/<id>} (cgroupfs driver, valid on cgroup v1, hybrid and v2). Options the host cannot
 * honour (swap or block I/O weight without kernel support) are dropped with a warning, as Docker does.
 * Reads the rootfs only to resolve the user; writes nothing.
 */
public final class BundleSpecBuilder {

    /** The config, the identity the process will run as, and warnings for the caller (Docker's {@code Warnings}). */
    public record Result(OciConfig config, UserResolver.ExecUser user, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public static final long CPU_PERIOD_US = 100_000;
    /** The OCI annotation holding the signal {@code stop} sends first. */
    public static final String STOP_SIGNAL_ANNOTATION = "org.opencontainers.image.stopSignal";
    public static final long DEFAULT_SHM_BYTES = 64L * 1024 * 1024;
    private static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
            "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");
    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private final HostLimits limits;
    private final Cgroups cgroups;
    private final Path hostEtc;
    private final Path hostDev;

    /**
     * @param limits  the engine's own limits (rlimits are clamped to them)
     * @param cgroups the host's cgroup layout (decides cgroup namespace and which limits work)
     * @param hostEtc the host's {@code /etc} (for {@code hosts} and {@code resolv.conf} in host network mode)
     * @param hostDev the host's {@code /dev} (its devices are given to privileged containers)
     */
    public BundleSpecBuilder(HostLimits limits, Cgroups cgroups, Path hostEtc, Path hostDev) {
        this.limits = limits;
        this.cgroups = cgroups;
        this.hostEtc = hostEtc;
        this.hostDev = hostDev;
    }

    /** A builder for this host and this process. */
    public static BundleSpecBuilder forHost() {
        return new BundleSpecBuilder(HostLimits.current(), Cgroups.host(), Path.of("/etc"), Path.of("/dev"));
    }

    /**
     * The config for container {@code id} whose root filesystem is {@code rootfs}.
     *
     * @throws EngineException.InvalidArgument for a bad option (named in the message) or an unknown user
     */
    public Result build(String id, Path rootfs, RunSpec spec) {
        if (!ID.matcher(id).matches()) {
            throw new EngineException.InvalidArgument("invalid container id " + id + ": only [A-Za-z0-9_.-] allowed, at most 128 characters");
        }
        if (spec.args().isEmpty()) {
            throw new EngineException.InvalidArgument("no command specified");
        }
        List<String> warnings = new ArrayList<>();
        UserResolver.ExecUser user = UserResolver.resolve(rootfs, spec.user());
        String workdir = spec.workdir() == null || spec.workdir().isEmpty() ? "/" : spec.workdir();
        if (!workdir.startsWith("/")) {
            throw new EngineException.InvalidArgument("the working directory '" + workdir + "' is invalid, it needs to be an absolute path");
        }
        boolean hostNet = spec.network() instanceof RunSpec.NetworkMode.Host;
        String hostname = spec.hostname() != null && !spec.hostname().isEmpty() ? spec.hostname()
                : hostNet ? hostHostname() : id.substring(0, Math.min(12, id.length()));

        OciConfig.Process process = new OciConfig.Process(
                spec.tty(),
                spec.tty() ? spec.consoleSize() : null,
                new OciConfig.User(user.uid(), user.gid(), null, user.additionalGids().isEmpty() ? null : user.additionalGids()),
                spec.args(),
                env(spec, hostname, user),
                workdir,
                capabilities(spec),
                rlimits(spec, warnings),
                spec.noNewPrivileges(),
                null);

        List<OciConfig.Namespace> namespaces = new ArrayList<>();
        namespaces.add(OciConfig.Namespace.create("pid"));
        namespaces.add(OciConfig.Namespace.create("ipc"));
        namespaces.add(OciConfig.Namespace.create("uts"));
        namespaces.add(OciConfig.Namespace.create("mount"));
        switch (spec.network()) {
            case RunSpec.NetworkMode.None none -> namespaces.add(OciConfig.Namespace.create("network"));
            case RunSpec.NetworkMode.Joined joined -> namespaces.add(new OciConfig.Namespace("network", joined.path().toString()));
            case RunSpec.NetworkMode.Host host -> { /* the host's network namespace */ }
        }
        if (cgroups.unified()) {
            namespaces.add(OciConfig.Namespace.create("cgroup")); // Docker's default on cgroup v2
        }
        Map<String, String> sysctl = new LinkedHashMap<>();
        if (!hostNet) {
            sysctl.put("net.ipv4.ip_unprivileged_port_start", "0");
            sysctl.put("net.ipv4.ping_group_range", "0 2147483647");
        }

        OciConfig.Linux linux = new OciConfig.Linux(
                namespaces,
                resources(spec, warnings),
                Cgroups.containerPath(id),
                sysctl,
                spec.privileged() ? List.of() : MASKED_PATHS,
                spec.privileged() ? List.of() : READONLY_PATHS,
                spec.privileged() ? HostDevices.list(hostDev) : List.of(),
                null);
        OciConfig config = new OciConfig(OciConfig.VERSION, process,
                new OciConfig.Root(rootfs.toAbsolutePath().normalize().toString(), spec.readOnlyRootfs()),
                hostname, mounts(spec, hostNet), linux, annotations(spec));
        return new Result(config, user, warnings);
    }

    /** The stop signal travels with the bundle (OCI's image annotation), so that stop finds it after an engine restart. */
    private static Map<String, String> annotations(RunSpec spec) {
        if (spec.stopSignal() == null || spec.stopSignal().isBlank()) {
            return null;
        }
        return Map.of(STOP_SIGNAL_ANNOTATION, spec.stopSignal().strip());
    }

    private List<String> env(RunSpec spec, String hostname, UserResolver.ExecUser user) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String e : spec.env()) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new EngineException.InvalidArgument("invalid environment variable: " + e);
            }
            byName.put(e.substring(0, eq), e);
        }
        List<String> out = new ArrayList<>();
        if (!byName.containsKey("PATH")) {
            out.add(DEFAULT_PATH);
        }
        if (!byName.containsKey("HOSTNAME")) {
            out.add("HOSTNAME=" + hostname);
        }
        if (spec.tty() && !byName.containsKey("TERM")) {
            out.add("TERM=xterm");
        }
        out.addAll(byName.values());
        if (!byName.containsKey("HOME")) {
            out.add("HOME=" + user.home());
        }
        return out;
    }

    private static OciConfig.Capabilities capabilities(RunSpec spec) {
        List<String> caps = CapabilitySet.effective(spec.privileged(), spec.capAdd(), spec.capDrop());
        return new OciConfig.Capabilities(caps, caps, List.of(), caps, List.of());
    }

    private List<OciConfig.Rlimit> rlimits(RunSpec spec, List<String> warnings) {
        Map<String, OciConfig.Rlimit> byType = new LinkedHashMap<>();
        limits.get("RLIMIT_NOFILE").ifPresent(l -> byType.put("RLIMIT_NOFILE", new OciConfig.Rlimit("RLIMIT_NOFILE", l.hard(), l.hard())));
        for (RunSpec.Ulimit u : spec.ulimits()) {
            String type = "RLIMIT_" + u.name().strip().toUpperCase(Locale.ROOT);
            if (limits.get(type).isEmpty() && !KNOWN_RLIMITS.contains(type)) {
                throw new EngineException.InvalidArgument("invalid ulimit type: " + u.name());
            }
            if (Long.compareUnsigned(u.soft(), u.hard()) > 0) {
                throw new EngineException.InvalidArgument("ulimit " + u.name() + ": soft limit " + Long.toUnsignedString(u.soft())
                        + " must be less than or equal to hard limit " + Long.toUnsignedString(u.hard()));
            }
            long hard = limits.clamp(type, u.hard());
            long soft = limits.clamp(type, u.soft());
            if (hard != u.hard()) {
                warnings.add("ulimit " + u.name() + "=" + Long.toUnsignedString(u.soft()) + ":" + Long.toUnsignedString(u.hard())
                        + " lowered to the engine's hard limit " + Long.toUnsignedString(hard));
            }
            byType.put(type, new OciConfig.Rlimit(type, hard, soft));
        }
        return List.copyOf(byType.values());
    }

    private static final Set<String> KNOWN_RLIMITS = Set.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private OciConfig.Resources resources(RunSpec spec, List<String> warnings) {
        RunSpec.Resources r = spec.resources();
        OciConfig.Memory memory = null;
        if (r.memory() != null && r.memory() > 0) {
            if (r.memory() < MIN_MEMORY) {
                throw new EngineException.InvalidArgument("Minimum memory limit allowed is 6MB");
            }
            Long swap = null;
            long requested = r.memorySwap() == null ? 0 : r.memorySwap();
            if (requested > 0 && requested < r.memory()) {
                throw new EngineException.InvalidArgument("Minimum memoryswap limit should be larger than memory limit, see usage");
            }
            if (cgroups.supportsSwapLimit()) {
                swap = requested == 0 ? r.memory() * 2 : requested;
            } else {
                warnings.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            }
            Long reservation = r.memoryReservation() != null && r.memoryReservation() > 0 ? r.memoryReservation() : null;
            memory = new OciConfig.Memory(r.memory(), reservation, swap);
        } else if (r.memorySwap() != null && r.memorySwap() > 0) {
            throw new EngineException.InvalidArgument("You should always set the Memory limit when using Memoryswap limit, see usage");
        } else if (r.memoryReservation() != null && r.memoryReservation() > 0) {
            memory = new OciConfig.Memory(null, r.memoryReservation(), null);
        }

        Long quota = null;
        Long period = null;
        if (r.nanoCpus() != null && r.nanoCpus() > 0) {
            if (r.nanoCpus() < 10_000_000L) {
                throw new EngineException.InvalidArgument("Range of CPUs is from 0.01 upwards");
            }
            if (cgroups.supportsCpuQuota()) {
                quota = r.nanoCpus() * CPU_PERIOD_US / 1_000_000_000L;
                period = CPU_PERIOD_US;
            } else {
                warnings.add("Your kernel does not support CPU CFS scheduler. CPU limit discarded.");
            }
        }
        Long shares = r.cpuShares() != null && r.cpuShares() > 0 ? r.cpuShares() : null;
        String cpus = blankToNull(r.cpusetCpus());
        String mems = blankToNull(r.cpusetMems());
        OciConfig.Cpu cpu = shares == null && quota == null && cpus == null && mems == null ? null
                : new OciConfig.Cpu(shares, quota, period, cpus, mems);

        OciConfig.Pids pids = null;
        if (r.pidsLimit() != null && r.pidsLimit() > 0) {
            if (cgroups.supportsPids()) {
                pids = new OciConfig.Pids(r.pidsLimit());
            } else {
                warnings.add("Your kernel does not support pids limit capabilities or the cgroup is not mounted. PIDs limit discarded.");
            }
        }

        OciConfig.BlockIo blockIo = null;
        if (r.blkioWeight() != null && r.blkioWeight() != 0) {
            if (r.blkioWeight() < 10 || r.blkioWeight() > 1000) {
                throw new EngineException.InvalidArgument("Range of blkio weight is from 10 to 1000");
            }
            if (cgroups.supportsBlkioWeight()) {
                blockIo = new OciConfig.BlockIo(r.blkioWeight());
            } else {
                warnings.add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            }
        }
        return new OciConfig.Resources(devices(spec.privileged()), memory, cpu, pids, blockIo);
    }

    /** Docker's device cgroup rules: deny all, then mknod of anything and use of the standard nodes. */
    private static List<OciConfig.DeviceRule> devices(boolean privileged) {
        if (privileged) {
            return List.of(new OciConfig.DeviceRule(true, "a", null, null, "rwm"));
        }
        return List.of(
                new OciConfig.DeviceRule(false, "a", null, null, "rwm"),
                new OciConfig.DeviceRule(true, "c", null, null, "m"),
                new OciConfig.DeviceRule(true, "b", null, null, "m"),
                new OciConfig.DeviceRule(true, "c", 1L, 3L, "rwm"),    // null
                new OciConfig.DeviceRule(true, "c", 1L, 5L, "rwm"),    // zero
                new OciConfig.DeviceRule(true, "c", 1L, 7L, "rwm"),    // full
                new OciConfig.DeviceRule(true, "c", 1L, 8L, "rwm"),    // random
                new OciConfig.DeviceRule(true, "c", 1L, 9L, "rwm"),    // urandom
                new OciConfig.DeviceRule(true, "c", 5L, 0L, "rwm"),    // tty
                new OciConfig.DeviceRule(true, "c", 5L, 1L, "rwm"),    // console
                new OciConfig.DeviceRule(true, "c", 5L, 2L, "rwm"),    // ptmx
                new OciConfig.DeviceRule(true, "c", 136L, null, "rwm"), // pts
                new OciConfig.DeviceRule(true, "c", 10L, 200L, "rwm")); // tun
    }

    private List<OciConfig.Mount> mounts(RunSpec spec, boolean hostNet) {
        boolean priv = spec.privileged();
        List<OciConfig.Mount> defaults = new ArrayList<>(List.of(
                new OciConfig.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new OciConfig.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new OciConfig.Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new OciConfig.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", priv ? "rw" : "ro")),
                new OciConfig.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of(priv ? "rw" : "ro", "nosuid", "noexec", "nodev")),
                new OciConfig.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new OciConfig.Mount("/dev/shm", "tmpfs", "shm",
                        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + DEFAULT_SHM_BYTES))));
        List<OciConfig.Mount> user = new ArrayList<>();
        for (Map.Entry<String, String> t : spec.tmpfs().entrySet()) {
            String dest = checkDestination(t.getKey(), "tmpfs");
            Set<String> opts = new LinkedHashSet<>(List.of("noexec", "nosuid", "nodev"));
            if (t.getValue() != null) {
                for (String o : t.getValue().split(",")) {
                    String opt = o.strip();
                    if (opt.isEmpty()) {
                        continue;
                    }
                    switch (opt) {
                        case "exec" -> opts.remove("noexec");
                        case "suid" -> opts.remove("nosuid");
                        case "dev" -> opts.remove("nodev");
                        default -> opts.add(opt);
                    }
                }
            }
            user.add(new OciConfig.Mount(dest, "tmpfs", "tmpfs", List.copyOf(opts)));
        }
        for (RunSpec.BindMount b : spec.binds()) {
            String dest = checkDestination(b.destination(), "bind mount");
            if (!b.source().isAbsolute()) {
                throw new EngineException.InvalidArgument("invalid mount config: bind source path must be absolute: " + b.source());
            }
            if (!Files.exists(b.source())) {
                throw new EngineException.InvalidArgument("invalid mount config for type \"bind\": bind source path does not exist: " + b.source());
            }
            String propagation = b.propagation() == null || b.propagation().isBlank() ? "rprivate" : b.propagation();
            user.add(new OciConfig.Mount(dest, "bind", b.source().toString(), List.of("rbind", b.readOnly() ? "ro" : "rw", propagation)));
        }
        if (hostNet) {
            for (String f : List.of("hosts", "resolv.conf")) {
                Path src = hostEtc.resolve(f);
                String dest = "/etc/" + f;
                if (Files.isRegularFile(src) && user.stream().noneMatch(m -> m.destination().equals(dest))) {
                    user.add(new OciConfig.Mount(dest, "bind", src.toString(), List.of("rbind", "ro", "rprivate")));
                }
            }
        }
        Set<String> userDest = new LinkedHashSet<>();
        user.forEach(m -> userDest.add(m.destination()));
        List<OciConfig.Mount> out = new ArrayList<>();
        for (OciConfig.Mount m : defaults) {
            if (!userDest.contains(m.destination())) {
                out.add(m);
            }
        }
        out.addAll(user);
        return out;
    }

    private static String checkDestination(String dest, String what) {
        if (dest == null || !dest.startsWith("/")) {
            throw new EngineException.InvalidArgument("invalid " + what + " destination " + dest + ": it must be an absolute path");
        }
        String clean = Path.of(dest).normalize().toString();
        if (clean.equals("/")) {
            throw new EngineException.InvalidArgument("invalid " + what + " destination " + dest + ": cannot mount over /");
        }
        return clean;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String hostHostname() {
        try {
            return HostFiles.read(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
