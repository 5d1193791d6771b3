package dev.berth.engine.container.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One {@code GET /containers/{id}/stats} document, in Docker's JSON shape: the current
 * {@link Sample} and the one before it ({@code precpu_stats}, {@code preread}), so a client can
 * compute CPU percentages from the two. Serialize with {@code state.Json.mapper()}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ContainerStats(
        @JsonProperty("name") String name,
        @JsonProperty("id") String id,
        @JsonProperty("read") Instant read,
        @JsonProperty("preread") Instant preread,
        @JsonProperty("pids_stats") PidsStats pidsStats,
        @JsonProperty("blkio_stats") BlkioStats blkioStats,
        @JsonProperty("num_procs") int numProcs,
        @JsonProperty("storage_stats") Map<String, Object> storageStats,
        @JsonProperty("cpu_stats") CpuStats cpuStats,
        @JsonProperty("precpu_stats") CpuStats precpuStats,
        @JsonProperty("memory_stats") MemoryStats memoryStats,
        @JsonProperty("networks") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, NetworkStats> networks) {

    /** Docker's zero time, sent as {@code preread} when there is no previous sample. */
    public static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** What one reading of a container's cgroup and network namespace gives. */
    public record Sample(Instant read, CpuStats cpu, MemoryStats memory, PidsStats pids, BlkioStats blkio,
                         Map<String, NetworkStats> networks) {}

    /**
     * @param percpuUsage per-CPU usage in ns (cgroup v1 only; absent on v2, as in Docker)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CpuUsage(@JsonProperty("total_usage") long totalUsage,
                           @JsonProperty("percpu_usage") List<Long> percpuUsage,
                           @JsonProperty("usage_in_kernelmode") long usageInKernelmode,
                           @JsonProperty("usage_in_usermode") long usageInUsermode) {}

    public record Throttling(@JsonProperty("periods") long periods,
                             @JsonProperty("throttled_periods") long throttledPeriods,
                             @JsonProperty("throttled_time") long throttledTime) {}

    /**
     * @param systemCpuUsage the host's CPU time in ns since boot ({@code /proc/stat}), the denominator of CPU %
     */
    public record CpuStats(@JsonProperty("cpu_usage") CpuUsage cpuUsage,
                           @JsonProperty("system_cpu_usage") long systemCpuUsage,
                           @JsonProperty("online_cpus") int onlineCpus,
                           @JsonProperty("throttling_data") Throttling throttlingData) {
        public static final CpuStats ZERO = new CpuStats(new CpuUsage(0, null, 0, 0), 0, 0, new Throttling(0, 0, 0));
    }

    /**
     * @param usage    bytes charged to the cgroup (page cache included)
     * @param maxUsage peak usage (v1 only, else 0)
     * @param stats    the cgroup's {@code memory.stat}, key to value
     * @param limit    the limit, or the host's memory when the container has none
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record MemoryStats(@JsonProperty("usage") long usage, @JsonProperty("max_usage") long maxUsage,
                              @JsonProperty("stats") Map<String, Long> stats, @JsonProperty("limit") long limit) {}

    /** @param limit the pids limit; 0 when there is none (Docker's convention) */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record PidsStats(@JsonProperty("current") long current, @JsonProperty("limit") long limit) {}

    public record BlkioEntry(@JsonProperty("major") long major, @JsonProperty("minor") long minor,
                             @JsonProperty("op") String op, @JsonProperty("value") long value) {}

    public record BlkioStats(@JsonProperty("io_service_bytes_recursive") List<BlkioEntry> ioServiceBytesRecursive,
                             @JsonProperty("io_serviced_recursive") List<BlkioEntry> ioServicedRecursive,
                             @JsonProperty("io_queue_recursive") List<BlkioEntry> ioQueueRecursive,
                             @JsonProperty("io_service_time_recursive") List<BlkioEntry> ioServiceTimeRecursive,
                             @JsonProperty("io_wait_time_recursive") List<BlkioEntry> ioWaitTimeRecursive,
                             @JsonProperty("io_merged_recursive") List<BlkioEntry> ioMergedRecursive,
                             @JsonProperty("io_time_recursive") List<BlkioEntry> ioTimeRecursive,
                             @JsonProperty("sectors_recursive") List<BlkioEntry> sectorsRecursive) {
        public static BlkioStats of(List<BlkioEntry> bytes, List<BlkioEntry> ios) {
            return new BlkioStats(bytes, ios, null, null, null, null, null, null);
        }
    }

    public record NetworkStats(@JsonProperty("rx_bytes") long rxBytes, @JsonProperty("rx_packets") long rxPackets,
                               @JsonProperty("rx_errors") long rxErrors, @JsonProperty("rx_dropped") long rxDropped,
                               @JsonProperty("tx_bytes") long txBytes, @JsonProperty("tx_packets") long txPackets,
                               @JsonProperty("tx_errors") long txErrors, @JsonProperty("tx_dropped") long txDropped) {}

    /** The document for {@code current}, with {@code previous} (null for none) as its {@code precpu_stats}. */
    public static ContainerStats of(String id, String name, Sample current, Sample previous) {
        return new ContainerStats(name.startsWith("/") ? name : "/" + name, id, current.read(),
                previous == null ? ZERO_TIME : previous.read(), current.pids(), current.blkio(), 0, Map.of(),
                current.cpu(), previous == null ? CpuStats.ZERO : previous.cpu(), current.memory(), current.networks());
    }

    /**
     * Docker CLI's CPU percentage: the container's share of the host's CPU time between the two
     * samples, times the number of CPUs (so one busy core on a 4-core host is 100%, not 25%).
     * 0 when there is no previous sample.
     */
    public double cpuPercent() {
        double cpuDelta = (double) cpuStats.cpuUsage().totalUsage() - precpuStats.cpuUsage().totalUsage();
        double systemDelta = (double) cpuStats.systemCpuUsage() - precpuStats.systemCpuUsage();
        int cpus = cpuStats.onlineCpus();
        if (cpus == 0 && cpuStats.cpuUsage().percpuUsage() != null) {
            cpus = cpuStats.cpuUsage().percpuUsage().size();
        }
        if (systemDelta > 0 && cpuDelta > 0 && precpuStats.systemCpuUsage() > 0) {
            return cpuDelta / systemDelta * cpus * 100.0;
        }
        return 0.0;
    }

    /**
     * Docker CLI's memory usage: usage minus the inactive page cache ({@code total_inactive_file}
     * on v1, {@code inactive_file} on v2), which the kernel can drop at any time.
     */
    public long memoryUsageWithoutCache() {
        Map<String, Long> s = memoryStats.stats() == null ? Map.of() : memoryStats.stats();
        long usage = memoryStats.usage();
        Long inactive = s.containsKey("total_inactive_file") ? s.get("total_inactive_file") : s.get("inactive_file");
        if (inactive != null && inactive < usage) {
            return usage - inactive;
        }
        return usage;
    }

    /** {@link #memoryUsageWithoutCache()} as a percentage of the limit. */
    public double memoryPercent() {
        return memoryStats.limit() == 0 ? 0.0 : 100.0 * memoryUsageWithoutCache() / memoryStats.limit();
    }
}
