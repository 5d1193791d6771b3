package dev.berth.app.containers.details;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One reading of {@code /containers/{id}/stats}, reduced to what the Stats charts show.
 *
 * @param cpuPercent Docker CLI's CPU %: the container's share of host CPU time between this
 *                   document's two samples, times the online CPUs
 * @param memory     usage minus the inactive page cache, as the docker CLI shows it
 */
public record StatsPoint(Instant read, double cpuPercent, long memory, long memoryLimit, long rxBytes, long txBytes,
                         long blockRead, long blockWrite, long pids) {

    /** Reads Docker's stats document. */
    public static StatsPoint of(JsonNode s) {
        Instant read;
        try {
            read = Instant.parse(s.path("read").asText());
        } catch (RuntimeException e) {
            read = Instant.now();
        }
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double sysDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        int cpus = cpu.path("online_cpus").asInt(0);
        if (cpus == 0) {
            cpus = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
        }
        double percent = sysDelta > 0 && cpuDelta > 0 && pre.path("system_cpu_usage").asLong() > 0
                ? cpuDelta / sysDelta * cpus * 100.0 : 0.0;
        JsonNode mem = s.path("memory_stats");
        long usage = mem.path("usage").asLong();
        JsonNode ms = mem.path("stats");
        long inactive = ms.has("total_inactive_file") ? ms.path("total_inactive_file").asLong() : ms.path("inactive_file").asLong();
        if (inactive > 0 && inactive < usage) {
            usage -= inactive;
        }
        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        long rd = 0;
        long wr = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asText().toLowerCase(java.util.Locale.ROOT);
            if (op.equals("read")) {
                rd += e.path("value").asLong();
            } else if (op.equals("write")) {
                wr += e.path("value").asLong();
            }
        }
        return new StatsPoint(read, percent, usage, mem.path("limit").asLong(), rx, tx, rd, wr, s.path("pids_stats").path("current").asLong());
    }
}
