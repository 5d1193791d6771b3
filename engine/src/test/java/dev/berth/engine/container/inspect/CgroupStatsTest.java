package dev.berth.engine.container.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.ContainerHarness;
import dev.berth.engine.runtime.OciRuntime;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.state.Json;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Stats of real containers from this host's cgroups (v1 here), and of a cgroup v2 tree laid out as the kernel does. */
@RootOnly
class CgroupStatsTest {

    @TempDir
    Path dir;

    ContainerHarness h;

    @BeforeEach
    void setUp() {
        h = new ContainerHarness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private ContainerHarness.Ctr busy(long memory, long pids) throws Exception {
        return h.run(RunSpec.builder(List.of("sh", "-c", "while :; do :; done")).resources(new RunSpec.Resources(
                memory, null, null, null, null, null, null, pids, null)).build());
    }

    @Test
    void aRunningContainersCgroupGivesCpuMemoryPidsAndItsLimits() throws Exception {
        long memory = 64L * 1024 * 1024;
        ContainerHarness.Ctr c = busy(memory, 50);
        long pid = h.runtime().state(c.id()).pid();
        StatsSampler sampler = new StatsSampler(CgroupStats.host(), c.id(), "busy", Cgroups.containerPath(c.id()),
                OptionalLong.of(pid), () -> true, Duration.ofMillis(300));

        ContainerStats s = sampler.once(false);

        assertThat(s.name()).isEqualTo("/busy");
        assertThat(s.memoryStats().limit()).isEqualTo(memory);
        assertThat(s.memoryStats().usage()).isPositive();
        assertThat(s.memoryStats().stats()).containsKey(Cgroups.host().unified() ? "inactive_file" : "total_inactive_file");
        assertThat(s.pidsStats().current()).isEqualTo(1);
        assertThat(s.pidsStats().limit()).isEqualTo(50);
        assertThat(s.cpuStats().cpuUsage().totalUsage()).isGreaterThan(s.precpuStats().cpuUsage().totalUsage());
        assertThat(s.cpuStats().systemCpuUsage()).isGreaterThan(s.precpuStats().systemCpuUsage());
        assertThat(s.cpuStats().onlineCpus()).isEqualTo(onlineCpus());
        assertThat(s.preread()).isBefore(s.read());
        if (!Cgroups.host().unified()) {
            assertThat(s.cpuStats().cpuUsage().percpuUsage().stream().mapToLong(Long::longValue).sum())
                    .isCloseTo(s.cpuStats().cpuUsage().totalUsage(), within(s.cpuStats().cpuUsage().totalUsage() / 20));
        }
        // a core spinning: somewhere above zero and at most every CPU
        assertThat(s.cpuPercent()).isPositive().isLessThanOrEqualTo(100.0 * onlineCpus() + 1);
        // the container has its own network namespace with only lo, which Docker leaves out
        assertThat(s.networks()).isEmpty();
        assertThat(s.memoryUsageWithoutCache()).isPositive().isLessThanOrEqualTo(s.memoryStats().usage());

        ContainerStats one = sampler.once(true);
        assertThat(one.preread()).isEqualTo(ContainerStats.ZERO_TIME);
        assertThat(one.cpuPercent()).isZero();
    }

    @Test
    void statsJsonHasDockersShape() throws Exception {
        ContainerHarness.Ctr c = busy(32L * 1024 * 1024, 20);
        StatsSampler sampler = new StatsSampler(CgroupStats.host(), c.id(), "j", Cgroups.containerPath(c.id()),
                OptionalLong.of(h.runtime().state(c.id()).pid()), () -> true, Duration.ofMillis(100));
        JsonNode j = Json.mapper().readTree(Json.toBytes(sampler.once(false)));
        assertThat(j.fieldNames()).toIterable().contains("read", "preread", "pids_stats", "blkio_stats", "cpu_stats",
                "precpu_stats", "memory_stats", "networks", "name", "id", "num_procs", "storage_stats");
        assertThat(j.at("/cpu_stats/cpu_usage/total_usage").asLong()).isPositive();
        assertThat(j.at("/cpu_stats/system_cpu_usage").asLong()).isPositive();
        assertThat(j.at("/cpu_stats/online_cpus").asInt()).isEqualTo(onlineCpus());
        assertThat(j.at("/memory_stats/limit").asLong()).isEqualTo(32L * 1024 * 1024);
        assertThat(j.at("/pids_stats/limit").asLong()).isEqualTo(20);
        assertThat(j.at("/blkio_stats").has("io_service_bytes_recursive")).isTrue();
        assertThat(Instant.parse(j.at("/read").asText())).isAfter(Instant.parse(j.at("/preread").asText()));
    }

    @Test
    void streamingSendsOneDocumentPerIntervalAndEndsWhenTheContainerStops() throws Exception {
        ContainerHarness.Ctr c = busy(0, 0);
        OciRuntime rt = h.runtime();
        StatsSampler sampler = new StatsSampler(CgroupStats.host(), c.id(), "s", Cgroups.containerPath(c.id()),
                OptionalLong.of(rt.state(c.id()).pid()), () -> rt.state(c.id()).status() == OciRuntime.Status.RUNNING,
                Duration.ofMillis(200));
        List<ContainerStats> got = new ArrayList<>();
        long sent = sampler.stream(s -> {
            got.add(s);
            if (got.size() == 3) {
                try {
                    rt.stop(c.id(), "KILL", Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return got.size() < 10;
        });
        assertThat(sent).isEqualTo(3);
        assertThat(got.get(0).preread()).isEqualTo(ContainerStats.ZERO_TIME);
        assertThat(got.get(1).preread()).isEqualTo(got.get(0).read());
        assertThat(got.get(2).precpuStats()).isEqualTo(got.get(1).cpuStats());
        // no memory limit: the host's memory is the limit, as Docker reports it
        long hostMemory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
        assertThat(got.get(0).memoryStats().limit()).isEqualTo(hostMemory);
        assertThat(got.get(0).pidsStats().limit()).isZero();
    }

    @Test
    void aContainerThatIsNotRunningHasNoStats() {
        CgroupStats s = CgroupStats.host();
        assertThatThrownBy(() -> s.read(Cgroups.containerPath(ContainerHarness.newId()), OptionalLong.empty()))
                .isInstanceOf(EngineException.NotFound.class).hasMessageContaining("not running");
    }

    @Test
    void networkCountersComeFromTheProcesssNamespaceWithoutLoopback() throws Exception {
        // this JVM's own namespace (the host's), so the interfaces are known and not only lo
        long self = ProcessHandle.current().pid();
        var nets = CgroupStats.host().networks(self);
        List<String> expected = Files.readAllLines(Path.of("/proc/self/net/dev")).stream().skip(2)
                .map(l -> l.substring(0, l.indexOf(':')).strip()).filter(n -> !n.equals("lo")).sorted().toList();
        assertThat(nets.keySet()).containsExactlyElementsOf(expected);
    }

    @Test
    void cgroupV2FilesAreReadWithDockersUnits() throws Exception {
        // a unified (v2) tree laid out as the kernel lays it out; this host only has v1 controllers
        Path root = Files.createDirectories(dir.resolve("cg2"));
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Path c = Files.createDirectories(root.resolve("berth/abc"));
        Files.writeString(c.resolve("cpu.stat"), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 7\n"
                + "nr_throttled 2\nthrottled_usec 30\n");
        Files.writeString(c.resolve("memory.current"), "10485760\n");
        Files.writeString(c.resolve("memory.max"), "max\n");
        Files.writeString(c.resolve("memory.stat"), "anon 4096\nfile 8192\ninactive_file 4194304\n");
        Files.writeString(c.resolve("pids.current"), "3\n");
        Files.writeString(c.resolve("pids.max"), "max\n");
        Files.writeString(c.resolve("io.stat"), "8:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n");
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("stat"), "cpu  100 0 50 1000 10 0 5 0 0 0\ncpu0 50 0 25 500 5 0 2 0 0 0\n"
                + "cpu1 50 0 25 500 5 0 3 0 0 0\nintr 1\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:        2048000 kB\nMemFree: 1 kB\n");

        Cgroups v2 = new Cgroups(root);
        assertThat(v2.unified()).isTrue();
        ContainerStats.Sample s = new CgroupStats(v2, proc, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .read("/berth/abc", OptionalLong.empty());
        assertThat(s.cpu().cpuUsage()).isEqualTo(new ContainerStats.CpuUsage(2_500_000, null, 500_000, 2_000_000));
        assertThat(s.cpu().throttlingData()).isEqualTo(new ContainerStats.Throttling(7, 2, 30_000));
        assertThat(s.cpu().systemCpuUsage()).isEqualTo(1165L * 10_000_000);
        assertThat(s.cpu().onlineCpus()).isEqualTo(2);
        assertThat(s.memory().usage()).isEqualTo(10485760);
        assertThat(s.memory().limit()).isEqualTo(2048000L * 1024);
        assertThat(s.pids()).isEqualTo(new ContainerStats.PidsStats(3, 0));
        assertThat(s.blkio().ioServiceBytesRecursive()).containsExactly(new ContainerStats.BlkioEntry(8, 0, "read", 1024),
                new ContainerStats.BlkioEntry(8, 0, "write", 2048));
        assertThat(s.blkio().ioServicedRecursive()).extracting(ContainerStats.BlkioEntry::value).containsExactly(1L, 2L);
        ContainerStats doc = ContainerStats.of("abc", "x", s, null);
        assertThat(doc.memoryUsageWithoutCache()).isEqualTo(10485760 - 4194304);
        assertThat(s.networks()).isNull();
    }

    @Test
    void cpuPercentIsDockersFormula() {
        ContainerStats.Sample prev = sample(1_000_000_000L, 10_000_000_000L, 4);
        ContainerStats.Sample now = sample(1_500_000_000L, 12_000_000_000L, 4);
        // 0.5 s of container CPU over 2 s of host CPU time, on 4 CPUs: 100%
        assertThat(ContainerStats.of("a", "a", now, prev).cpuPercent()).isEqualTo(100.0);
        assertThat(ContainerStats.of("a", "a", now, now).cpuPercent()).isZero();
    }

    private static ContainerStats.Sample sample(long usage, long system, int cpus) {
        return new ContainerStats.Sample(Instant.EPOCH, new ContainerStats.CpuStats(new ContainerStats.CpuUsage(usage, null, 0, 0),
                system, cpus, new ContainerStats.Throttling(0, 0, 0)), new ContainerStats.MemoryStats(0, 0, null, 0),
                new ContainerStats.PidsStats(0, 0), ContainerStats.BlkioStats.of(List.of(), List.of()), null);
    }

    private static int onlineCpus() throws Exception {
        return (int) Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
    }
}
