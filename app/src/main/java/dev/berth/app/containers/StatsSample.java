package dev.berth.app.containers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the table shows of one {@code /containers/{id}/stats} document: CPU % and memory, computed
 * as the docker CLI computes them.
 *
 * @param cpuPercent  the container's share of the host's CPU time between the document's two
 *                    samples, times the number of CPUs (one busy core is 100%); NaN when the
 *                    document has no previous sample
 * @param memoryUsage bytes used, without the inactive page cache
 * @param memoryLimit the limit, or the host's memory when there is none
 */
public record StatsSample(double cpuPercent, long memoryUsage, long memoryLimit) {

    /** Reads a stats document (Docker's JSON, cgroup v1 or v2 fields). */
    public static StatsSample fromJson(JsonNode doc) {
        return new StatsSample(cpuPercent(doc), memoryUsage(doc.path("memory_stats")), doc.path("memory_stats").path("limit").asLong(0));
    }

    /**
     * Docker CLI's formula: {@code (cpu_delta / system_delta) * online_cpus * 100}, the deltas
     * between {@code cpu_stats} and {@code precpu_stats}; {@code online_cpus} falls back to the
     * length of {@code percpu_usage}. NaN without a previous sample; 0 when nothing was used.
     */
    public static double cpuPercent(JsonNode doc) {
        JsonNode cpu = doc.path("cpu_stats");
        JsonNode pre = doc.path("precpu_stats");
        long preSystem = pre.path("system_cpu_usage").asLong(0);
        if (preSystem <= 0) {
            return Double.NaN;
        }
        double cpuDelta = (double) cpu.path("cpu_usage").path("total_usage").asLong(0) - pre.path("cpu_usage").path("total_usage").asLong(0);
        double systemDelta = (double) cpu.path("system_cpu_usage").asLong(0) - preSystem;
        int cpus = cpu.path("online_cpus").asInt(0);
        if (cpus == 0) {
            cpus = cpu.path("cpu_usage").path("percpu_usage").size();
        }
        if (cpuDelta <= 0 || systemDelta <= 0) {
            return 0.0;
        }
        return cpuDelta / systemDelta * Math.max(cpus, 1) * 100.0;
    }

    /** Usage minus the inactive file cache ({@code total_inactive_file} on cgroup v1, {@code inactive_file} on v2). */
    static long memoryUsage(JsonNode memory) {
        long usage = memory.path("usage").asLong(0);
        JsonNode stats = memory.path("stats");
        JsonNode inactive = stats.has("total_inactive_file") ? stats.get("total_inactive_file") : stats.get("inactive_file");
        if (inactive != null && inactive.asLong() < usage) {
            return usage - inactive.asLong();
        }
        return usage;
    }

    public boolean hasCpu() {
        return !Double.isNaN(cpuPercent);
    }
}
