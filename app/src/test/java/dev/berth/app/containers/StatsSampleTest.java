package dev.berth.app.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.app.backend.ApiClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** CPU % and memory from stats documents, as the docker CLI computes them. */
class StatsSampleTest {

    private static JsonNode doc(String json) throws Exception {
        return ApiClient.JSON.readTree(json);
    }

    @Test
    void cpuPercentIsTheContainersShareOfHostTimeTimesOnlineCpus() throws Exception {
        // 0.5 s of container CPU over 4 s of host CPU time (2 CPUs, 2 s): one core a quarter busy → 25 %
        JsonNode d = doc("""
                {"cpu_stats":{"cpu_usage":{"total_usage":1500000000},"system_cpu_usage":104000000000,"online_cpus":2},
                 "precpu_stats":{"cpu_usage":{"total_usage":1000000000},"system_cpu_usage":100000000000,"online_cpus":2},
                 "memory_stats":{"usage":10485760,"limit":2147483648,"stats":{"total_inactive_file":2097152}}}""");
        StatsSample s = StatsSample.fromJson(d);
        assertThat(s.cpuPercent()).isCloseTo(25.0, within(1e-9));
        assertThat(s.memoryUsage()).isEqualTo(10485760 - 2097152);
        assertThat(s.memoryLimit()).isEqualTo(2147483648L);
    }

    @Test
    void withoutOnlineCpusThePerCpuListCountsTheCpus() throws Exception {
        JsonNode d = doc("""
                {"cpu_stats":{"cpu_usage":{"total_usage":3000,"percpu_usage":[1,2,3,4]},"system_cpu_usage":12000},
                 "precpu_stats":{"cpu_usage":{"total_usage":1000},"system_cpu_usage":4000}}""");
        assertThat(StatsSample.cpuPercent(d)).isCloseTo(2000.0 / 8000.0 * 4 * 100, within(1e-9));
    }

    @Test
    void theFirstDocumentOfAStreamHasNoCpuFigureAndAnIdleContainerHasZero() throws Exception {
        JsonNode first = doc("""
                {"cpu_stats":{"cpu_usage":{"total_usage":5000},"system_cpu_usage":9000,"online_cpus":1},
                 "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":0,"online_cpus":0}}""");
        assertThat(StatsSample.fromJson(first).hasCpu()).isFalse();
        JsonNode idle = doc("""
                {"cpu_stats":{"cpu_usage":{"total_usage":5000},"system_cpu_usage":9000,"online_cpus":1},
                 "precpu_stats":{"cpu_usage":{"total_usage":5000},"system_cpu_usage":8000,"online_cpus":1}}""");
        assertThat(StatsSample.cpuPercent(idle)).isZero();
    }

    @Test
    void cgroupV2MemorySubtractsInactiveFileAndNeverGoesNegative() throws Exception {
        assertThat(StatsSample.fromJson(doc("{\"memory_stats\":{\"usage\":4096,\"stats\":{\"inactive_file\":1024}}}")).memoryUsage())
                .isEqualTo(3072);
        assertThat(StatsSample.fromJson(doc("{\"memory_stats\":{\"usage\":4096,\"stats\":{\"inactive_file\":8192}}}")).memoryUsage())
                .isEqualTo(4096);
    }
}
