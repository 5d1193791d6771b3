package dev.berth.engine.container.inspect;

import dev.berth.engine.container.inspect.ContainerStats.BlkioEntry;
import dev.berth.engine.container.inspect.ContainerStats.BlkioStats;
import dev.berth.engine.container.inspect.ContainerStats.CpuStats;
import dev.berth.engine.container.inspect.ContainerStats.CpuUsage;
import dev.berth.engine.container.inspect.ContainerStats.MemoryStats;
import dev.berth.engine.container.inspect.ContainerStats.NetworkStats;
import dev.berth.engine.container.inspect.ContainerStats.PidsStats;
import dev.berth.engine.container.inspect.ContainerStats.Sample;
import dev.berth.engine.container.inspect.ContainerStats.Throttling;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.HostFiles;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reads a container's resource use from its cgroup, in either layout {@link Cgroups} detects.
 * cgroup v1 (this project's build machines): {@code cpuacct.usage}, {@code cpuacct.usage_percpu},
 * {@code cpuacct.stat}, {@code cpu.stat} (throttling), {@code memory.usage_in_bytes},
 * {@code memory.max_usage_in_bytes}, {@code memory.limit_in_bytes}, {@code memory.stat},
 * {@code pids.current}, {@code pids.max}, {@code blkio.throttle.io_service_bytes_recursive} and
 * {@code blkio.throttle.io_serviced_recursive}. cgroup v2: {@code cpu.stat}, {@code memory.current},
 * {@code memory.max}, {@code memory.stat}, {@code pids.current}, {@code pids.max},
 * {@code io.stat}. Network counters come from {@code /proc/<pid>/net/dev} of the container's
 * init process (its network namespace; {@code lo} left out, as Docker does), the host's CPU
 * time and online CPUs from {@code /proc/stat}.
 *
 * <p>Reads only. A controller that is missing gives zeros, not an error; a cgroup that does not
 * exist at all (the container is not running) is {@link EngineException.NotFound}.
 */
public final class CgroupStats {

    /** Kernel clock ticks per second ({@code USER_HZ}), fixed at 100 on Linux for user space. */
    private static final long USER_HZ = 100;
    private static final long NANOS_PER_TICK = 1_000_000_000L / USER_HZ;

    private final Cgroups cgroups;
    private final Path proc;
    private final Clock clock;

    public CgroupStats(Cgroups cgroups, Path proc, Clock clock) {
        this.cgroups = cgroups;
        this.proc = proc;
        this.clock = clock;
    }

    /** The host's cgroups and {@code /proc}. */
    public static CgroupStats host() {
        return new CgroupStats(Cgroups.host(), Path.of("/proc"), Clock.systemUTC());
    }

    /**
     * Reads one sample.
     *
     * @param cgroupPath the container's cgroup ({@code /berth/<id>})
     * @param pid        the container's init process on the host, for its network counters; empty for none
     * @throws EngineException.NotFound when the cgroup does not exist (the container is not running)
     */
    public Sample read(String cgroupPath, OptionalLong pid) {
        if (cgroups.existingDirs(cgroupPath).isEmpty()) {
            throw new EngineException.NotFound("no cgroup " + cgroupPath + ": the container is not running");
        }
        var read = clock.instant();
        long[] system = systemCpu();
        CpuStats cpu;
        MemoryStats memory;
        PidsStats pids;
        BlkioStats blkio;
        if (cgroups.unified()) {
            Path d = cgroups.dir("", cgroupPath);
            Map<String, Long> cpuStat = keyed(d.resolve("cpu.stat"));
            cpu = new CpuStats(new CpuUsage(cpuStat.getOrDefault("usage_usec", 0L) * 1000, null,
                    cpuStat.getOrDefault("system_usec", 0L) * 1000, cpuStat.getOrDefault("user_usec", 0L) * 1000),
                    system[0], (int) system[1], new Throttling(cpuStat.getOrDefault("nr_periods", 0L),
                    cpuStat.getOrDefault("nr_throttled", 0L), cpuStat.getOrDefault("throttled_usec", 0L) * 1000));
            memory = new MemoryStats(number(d.resolve("memory.current")), 0, keyed(d.resolve("memory.stat")),
                    limitOrHost(number(d.resolve("memory.max"))));
            pids = new PidsStats(number(d.resolve("pids.current")), number(d.resolve("pids.max")));
            blkio = ioStat(d.resolve("io.stat"));
        } else {
            Path acct = cgroups.dir("cpuacct", cgroupPath);
            Map<String, Long> ticks = keyed(acct.resolve("cpuacct.stat"));
            List<Long> percpu = new ArrayList<>();
            for (String v : text(acct.resolve("cpuacct.usage_percpu")).strip().split("\\s+")) {
                if (!v.isEmpty()) {
                    percpu.add(Long.parseLong(v));
                }
            }
            Map<String, Long> throttle = keyed(cgroups.dir("cpu", cgroupPath).resolve("cpu.stat"));
            cpu = new CpuStats(new CpuUsage(number(acct.resolve("cpuacct.usage")), List.copyOf(percpu),
                    ticks.getOrDefault("system", 0L) * NANOS_PER_TICK, ticks.getOrDefault("user", 0L) * NANOS_PER_TICK),
                    system[0], (int) system[1], new Throttling(throttle.getOrDefault("nr_periods", 0L),
                    throttle.getOrDefault("nr_throttled", 0L), throttle.getOrDefault("throttled_time", 0L)));
            Path mem = cgroups.dir("memory", cgroupPath);
            memory = new MemoryStats(number(mem.resolve("memory.usage_in_bytes")), number(mem.resolve("memory.max_usage_in_bytes")),
                    keyed(mem.resolve("memory.stat")), limitOrHost(number(mem.resolve("memory.limit_in_bytes"))));
            Path p = cgroups.dir("pids", cgroupPath);
            pids = new PidsStats(number(p.resolve("pids.current")), number(p.resolve("pids.max")));
            Path b = cgroups.dir("blkio", cgroupPath);
            blkio = BlkioStats.of(blkioV1(b.resolve("blkio.throttle.io_service_bytes_recursive")),
                    blkioV1(b.resolve("blkio.throttle.io_serviced_recursive")));
        }
        Map<String, NetworkStats> networks = pid.isPresent() ? networks(pid.getAsLong()) : null;
        return new Sample(read, cpu, memory, pids, blkio, networks);
    }

    /** The host's CPU time in ns ({@code /proc/stat}'s first line, user through softirq, as Docker sums it) and online CPUs. */
    long[] systemCpu() {
        String stat = text(proc.resolve("stat"));
        long total = 0;
        int cpus = 0;
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                for (int i = 1; i <= 7 && i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        return new long[] {total * NANOS_PER_TICK, cpus};
    }

    /** The counters of every interface but {@code lo} in the network namespace of {@code pid}. */
    Map<String, NetworkStats> networks(long pid) {
        String dev;
        try {
            dev = HostFiles.read(proc.resolve(pid + "/net/dev"));
        } catch (IOException e) {
            return Map.of(); // the process is gone: the container just stopped
        }
        Map<String, NetworkStats> out = new TreeMap<>();
        for (String line : dev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            if (name.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            out.put(name, new NetworkStats(l(f[0]), l(f[1]), l(f[2]), l(f[3]), l(f[8]), l(f[9]), l(f[10]), l(f[11])));
        }
        return out;
    }

    private long limitOrHost(long limit) {
        long host = hostMemory();
        return limit <= 0 || (host > 0 && limit > host) ? host : limit;
    }

    private long hostMemory() {
        for (String line : text(proc.resolve("meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    private static List<BlkioEntry> blkioV1(Path file) {
        List<BlkioEntry> out = new ArrayList<>();
        for (String line : text(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                String[] mm = f[0].split(":");
                out.add(new BlkioEntry(l(mm[0]), l(mm[1]), f[1], l(f[2])));
            }
        }
        return out;
    }

    /** v2 {@code io.stat} ({@code 8:0 rbytes=1 wbytes=2 rios=3 wios=4 ...}) as Docker maps it to v1's shape. */
    private static BlkioStats ioStat(Path file) {
        List<BlkioEntry> bytes = new ArrayList<>();
        List<BlkioEntry> ios = new ArrayList<>();
        for (String line : text(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] mm = f[0].split(":");
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                switch (kv[0]) {
                    case "rbytes" -> bytes.add(new BlkioEntry(l(mm[0]), l(mm[1]), "read", l(kv[1])));
                    case "wbytes" -> bytes.add(new BlkioEntry(l(mm[0]), l(mm[1]), "write", l(kv[1])));
                    case "rios" -> ios.add(new BlkioEntry(l(mm[0]), l(mm[1]), "read", l(kv[1])));
                    case "wios" -> ios.add(new BlkioEntry(l(mm[0]), l(mm[1]), "write", l(kv[1])));
                    default -> { }
                }
            }
        }
        return BlkioStats.of(bytes, ios);
    }

    /** A file of {@code key value} lines; missing file: empty. */
    private static Map<String, Long> keyed(Path file) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    out.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // not a counter
                }
            }
        }
        return out;
    }

    /** A one-number file; {@code max} (no limit) and a missing file give 0. */
    private static long number(Path file) {
        String s = text(file).strip();
        if (s.isEmpty() || s.equals("max")) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long l(String s) {
        return Long.parseLong(s);
    }

    private static String text(Path file) {
        try {
            return HostFiles.read(file);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "";
        }
    }
}
