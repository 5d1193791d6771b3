package dev.berth.engine.runtime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.BusyboxRootfs;
import dev.berth.engine.state.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The config a RunSpec becomes, checked as JSON (the OCI names runc reads) and as records. */
class BundleSpecBuilderTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final HostLimits LIMITS = HostLimits.parse("""
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             4096                 8192                 processes
            Max open files            1024                 20000                files
            Max core file size        0                    unlimited            bytes
            """);

    @TempDir
    Path dir;

    Path rootfs;
    Path v1;
    Path v2;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
        // fake cgroup mounts: a hybrid v1 layout without swap accounting or blkio weight, and a v2 one
        v1 = dir.resolve("v1");
        Files.createDirectories(v1.resolve("memory"));
        Files.createDirectories(v1.resolve("blkio"));
        Files.createDirectories(v1.resolve("pids"));
        Files.createDirectories(v1.resolve("cpu"));
        Files.writeString(v1.resolve("cpu/cpu.cfs_quota_us"), "-1\n");
        Files.createDirectories(v1.resolve("unified"));
        Files.writeString(v1.resolve("unified/cgroup.controllers"), "\n");
        v2 = dir.resolve("v2");
        Files.createDirectories(v2);
        Files.writeString(v2.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
    }

    private BundleSpecBuilder builder(Path cgroupRoot) {
        return new BundleSpecBuilder(LIMITS, new Cgroups(cgroupRoot), Path.of("/etc"), dir.resolve("nodev"));
    }

    private static RunSpec.Builder spec() {
        return RunSpec.builder(List.of("sh", "-c", "true"));
    }

    private JsonNode json(RunSpec spec, Path cgroupRoot) {
        return Json.mapper().valueToTree(builder(cgroupRoot).build(ID, rootfs, spec).config());
    }

    @Test
    void defaultsAreDockersCapabilitiesMountsMasksAndNoNewPrivileges() {
        JsonNode c = json(spec().build(), v1);
        assertThat(c.path("ociVersion").asText()).isEqualTo("1.0.2");
        JsonNode caps = c.path("process").path("capabilities");
        assertThat(texts(caps.path("bounding"))).containsExactlyInAnyOrderElementsOf(CapabilitySet.DOCKER_DEFAULT)
                .doesNotContain("CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE");
        assertThat(caps.path("effective")).isEqualTo(caps.path("bounding"));
        assertThat(caps.path("permitted")).isEqualTo(caps.path("bounding"));
        assertThat(caps.path("inheritable")).isEmpty();
        assertThat(caps.path("ambient")).isEmpty();
        assertThat(c.path("process").path("noNewPrivileges").asBoolean()).isTrue();
        assertThat(texts(c.path("linux").path("maskedPaths"))).contains("/proc/kcore", "/proc/keys", "/sys/firmware",
                "/proc/timer_list", "/proc/sched_debug", "/sys/devices/virtual/powercap");
        assertThat(texts(c.path("linux").path("readonlyPaths"))).containsExactly(
                "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        assertThat(destinations(c)).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");
        assertThat(mount(c, "/dev/shm").path("options").toString()).contains("size=67108864");
        assertThat(mount(c, "/sys").path("options").toString()).contains("\"ro\"");
        assertThat(c.path("linux").path("cgroupsPath").asText()).isEqualTo("/berth/" + ID);
        assertThat(c.path("hostname").asText()).isEqualTo(ID.substring(0, 12));
        assertThat(texts(c.path("linux").path("namespaces"), "type")).containsExactly("pid", "ipc", "uts", "mount", "network");
        assertThat(c.path("linux").path("resources").path("devices").get(0).toString())
                .isEqualTo("{\"allow\":false,\"type\":\"a\",\"access\":\"rwm\"}");
        assertThat(c.path("process").path("env").toString()).contains("PATH=/usr/local/sbin", "HOSTNAME=" + ID.substring(0, 12), "HOME=/root");
        assertThat(c.has("hooks")).isFalse();
        assertThat(c.path("linux").has("seccomp")).isFalse();
    }

    @Test
    void privilegedLiftsMasksReadOnlyPathsCapabilityLimitsAndDeviceRules() {
        JsonNode c = json(spec().privileged(true).build(), v1);
        assertThat(texts(c.path("process").path("capabilities").path("bounding"))).containsExactlyElementsOf(CapabilitySet.all());
        assertThat(c.path("linux").has("maskedPaths")).isFalse();
        assertThat(c.path("linux").has("readonlyPaths")).isFalse();
        assertThat(c.path("linux").path("resources").path("devices").toString())
                .isEqualTo("[{\"allow\":true,\"type\":\"a\",\"access\":\"rwm\"}]");
        assertThat(mount(c, "/sys").path("options").toString()).contains("\"rw\"");

        // the host's device nodes come along (Docker's --privileged), read from the real /dev here
        OciConfig withDevices = BundleSpecBuilder.forHost().build(ID, rootfs, spec().privileged(true).build()).config();
        assertThat(withDevices.linux().devices()).contains(new OciConfig.Device("/dev/null", "c", 1, 3, 0666, 0L, 0L));
        assertThat(withDevices.linux().devices()).extracting(OciConfig.Device::path)
                .doesNotContain("/dev/console").noneMatch(p -> p.startsWith("/dev/pts/"));
        assertThat(BundleSpecBuilder.forHost().build(ID, rootfs, spec().build()).config().linux().devices()).isEmpty();
    }

    @Test
    void capAddAndDropAcceptDockersSpellings() {
        assertThat(caps(spec().capAdd("sys_admin", "CAP_NET_ADMIN").capDrop("chown", "NET_RAW").build()))
                .contains("CAP_SYS_ADMIN", "CAP_NET_ADMIN").doesNotContain("CAP_CHOWN", "CAP_NET_RAW").hasSize(14);
        assertThat(caps(spec().capDrop("ALL").capAdd("NET_BIND_SERVICE").build())).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(caps(spec().capAdd("all").capDrop("sys_admin").build()))
                .doesNotContain("CAP_SYS_ADMIN").hasSize(CapabilitySet.all().size() - 1);
        assertThatThrownBy(() -> caps(spec().capAdd("CAP_MAKE_COFFEE").build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("unknown capability: \"CAP_MAKE_COFFEE\"");
    }

    private List<String> caps(RunSpec spec) {
        return builder(v1).build(ID, rootfs, spec).config().process().capabilities().bounding();
    }

    @Test
    void rlimitsAreClampedToTheEnginesHardLimitsAndWrittenUnsigned() {
        BundleSpecBuilder.Result r = builder(v1).build(ID, rootfs, spec()
                .ulimit("nofile", 1_000_000, 1_000_000).ulimit("nproc", 100, 200).ulimit("core", -1, -1).build());
        assertThat(r.config().process().rlimits()).containsExactly(
                new OciConfig.Rlimit("RLIMIT_NOFILE", 20000, 20000),
                new OciConfig.Rlimit("RLIMIT_NPROC", 200, 100),
                new OciConfig.Rlimit("RLIMIT_CORE", -1, -1));
        assertThat(r.warnings()).containsExactly("ulimit nofile=1000000:1000000 lowered to the engine's hard limit 20000");
        String json = new String(Json.toBytes(r.config()));
        assertThat(json).contains("{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":18446744073709551615}");
        // and it reads back
        OciConfig back = Json.read(writeConfig(r.config()), OciConfig.class);
        assertThat(back.process().rlimits()).isEqualTo(r.config().process().rlimits());
    }

    @Test
    void defaultNofileIsTheEnginesHardLimit() {
        assertThat(builder(v1).build(ID, rootfs, spec().build()).config().process().rlimits())
                .containsExactly(new OciConfig.Rlimit("RLIMIT_NOFILE", 20000, 20000));
    }

    @Test
    void badUlimitsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> builder(v1).build(ID, rootfs, spec().ulimit("nofiles", 1, 1).build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid ulimit type: nofiles");
        assertThatThrownBy(() -> builder(v1).build(ID, rootfs, spec().ulimit("nofile", 10, 5).build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("soft limit 10");
    }

    private Path writeConfig(OciConfig config) {
        Path f = dir.resolve("config.json");
        Json.write(f, config);
        return f;
    }

    @Test
    void resourcesBecomeCgroupLimitsInOciUnits() {
        JsonNode res = json(spec().resources(new RunSpec.Resources(256L << 20, 512L << 20, 128L << 20, 512L,
                1_500_000_000L, "0-1", "0", 64L, 300)).build(), v2).path("linux").path("resources");
        assertThat(res.path("memory").toString())
                .isEqualTo("{\"limit\":268435456,\"reservation\":134217728,\"swap\":536870912}");
        assertThat(res.path("cpu").toString())
                .isEqualTo("{\"shares\":512,\"quota\":150000,\"period\":100000,\"cpus\":\"0-1\",\"mems\":\"0\"}");
        assertThat(res.path("pids").toString()).isEqualTo("{\"limit\":64}");
        assertThat(res.path("blockIO").toString()).isEqualTo("{\"weight\":300}");
    }

    @Test
    void memoryWithoutSwapSettingGetsTwiceTheMemoryAsDockerDoes() {
        OciConfig.Memory m = builder(v2).build(ID, rootfs, spec().resources(
                new RunSpec.Resources(100L << 20, null, null, null, null, null, null, null, null)).build())
                .config().linux().resources().memory();
        assertThat(m.swap()).isEqualTo(200L << 20);
        OciConfig.Memory unlimited = builder(v2).build(ID, rootfs, spec().resources(
                new RunSpec.Resources(100L << 20, -1L, null, null, null, null, null, null, null)).build())
                .config().linux().resources().memory();
        assertThat(unlimited.swap()).isEqualTo(-1L);
    }

    @Test
    void limitsTheHostCannotEnforceAreDroppedWithDockersWarnings() {
        BundleSpecBuilder.Result r = builder(v1).build(ID, rootfs, spec().resources(
                new RunSpec.Resources(100L << 20, 200L << 20, null, null, null, null, null, null, 500)).build());
        assertThat(r.config().linux().resources().memory().swap()).isNull();
        assertThat(r.config().linux().resources().blockIO()).isNull();
        assertThat(r.warnings()).containsExactly(
                "Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.",
                "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
    }

    @Test
    void impossibleResourcesAreRefused() {
        assertThatThrownBy(() -> builder(v2).build(ID, rootfs, spec().resources(
                new RunSpec.Resources(1024L, null, null, null, null, null, null, null, null)).build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("Minimum memory limit allowed is 6MB");
        assertThatThrownBy(() -> builder(v2).build(ID, rootfs, spec().resources(
                new RunSpec.Resources(100L << 20, 50L << 20, null, null, null, null, null, null, null)).build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("memoryswap");
        assertThatThrownBy(() -> builder(v2).build(ID, rootfs, spec().resources(
                new RunSpec.Resources(null, null, null, null, null, null, null, null, 5)).build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("blkio weight");
    }

    @Test
    void cgroupV2LayoutAddsACgroupNamespaceAndUsesV2Files() {
        JsonNode c = json(spec().build(), v2);
        assertThat(texts(c.path("linux").path("namespaces"), "type")).contains("cgroup");
        Cgroups cg = new Cgroups(v2);
        assertThat(cg.layout()).isEqualTo(Cgroups.Layout.UNIFIED);
        assertThat(cg.memoryLimitFile("/berth/x")).isEqualTo(v2.resolve("berth/x/memory.max"));
        assertThat(cg.cpuQuotaFile("/berth/x")).isEqualTo(v2.resolve("berth/x/cpu.max"));
        Cgroups hybrid = new Cgroups(v1);
        assertThat(hybrid.layout()).isEqualTo(Cgroups.Layout.HYBRID);
        assertThat(hybrid.memoryLimitFile("/berth/x")).isEqualTo(v1.resolve("memory/berth/x/memory.limit_in_bytes"));
        assertThat(texts(json(spec().build(), v1).path("linux").path("namespaces"), "type")).doesNotContain("cgroup");
    }

    @Test
    void hostNetworkSharesTheHostsNamespaceAndItsResolverFiles() throws IOException {
        Path etc = Files.createDirectories(dir.resolve("hostetc"));
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
        OciConfig c = new BundleSpecBuilder(LIMITS, new Cgroups(v1), etc, dir.resolve("nodev")).build(ID, rootfs,
                spec().network(new RunSpec.NetworkMode.Host()).build()).config();
        assertThat(c.linux().namespaces()).extracting(OciConfig.Namespace::type).doesNotContain("network");
        assertThat(c.mounts()).contains(
                new OciConfig.Mount("/etc/hosts", "bind", etc.resolve("hosts").toString(), List.of("rbind", "ro", "rprivate")),
                new OciConfig.Mount("/etc/resolv.conf", "bind", etc.resolve("resolv.conf").toString(), List.of("rbind", "ro", "rprivate")));
        assertThat(c.linux().sysctl()).isEmpty();

        OciConfig joined = builder(v1).build(ID, rootfs, spec().network(new RunSpec.NetworkMode.Joined(Path.of("/run/netns/n1"))).build()).config();
        assertThat(joined.linux().namespaces()).contains(new OciConfig.Namespace("network", "/run/netns/n1"));
    }

    @Test
    void tmpfsAndBindMountsReplaceDefaultsAtTheSameDestination() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        OciConfig c = builder(v1).build(ID, rootfs, spec().tmpfs("/dev/shm", "size=1m,exec").tmpfs("/run", null)
                .bind(new RunSpec.BindMount(data, "/data", true)).readOnlyRootfs(true).build()).config();
        assertThat(c.root().readonly()).isTrue();
        assertThat(c.mounts()).filteredOn(m -> m.destination().equals("/dev/shm")).singleElement()
                .isEqualTo(new OciConfig.Mount("/dev/shm", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "size=1m")));
        assertThat(c.mounts()).contains(new OciConfig.Mount("/run", "tmpfs", "tmpfs", List.of("noexec", "nosuid", "nodev")));
        assertThat(c.mounts()).contains(new OciConfig.Mount("/data", "bind", data.toString(), List.of("rbind", "ro", "rprivate")));
        assertThatThrownBy(() -> builder(v1).build(ID, rootfs, spec().bind(new RunSpec.BindMount(dir.resolve("missing"), "/x", false)).build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("bind source path does not exist: " + dir.resolve("missing"));
        assertThatThrownBy(() -> builder(v1).build(ID, rootfs, spec().tmpfs("relative", null).build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("absolute");
    }

    @Test
    void envKeepsCallerValuesAndAddsDockersDefaults() {
        OciConfig c = builder(v1).build(ID, rootfs, spec().env("PATH=/bin", "A=1").user("app").tty(true).hostname("h").build()).config();
        assertThat(c.process().env()).containsExactly("HOSTNAME=h", "TERM=xterm", "PATH=/bin", "A=1", "HOME=/home/app");
        assertThat(c.process().user()).isEqualTo(new OciConfig.User(1000, 1000, null, List.of(1000L, 29L, 44L)));
        assertThat(c.process().terminal()).isTrue();
        assertThatThrownBy(() -> builder(v1).build(ID, rootfs, spec().env("NOEQUALS").build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid environment variable: NOEQUALS");
        assertThatThrownBy(() -> builder(v1).build(ID, rootfs, spec().workdir("tmp").build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> builder(v1).build("bad/id", rootfs, spec().build()))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("invalid container id");
    }

    private static List<String> texts(JsonNode array) {
        return texts(array, null);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    private static List<String> destinations(JsonNode config) {
        return texts(config.path("mounts"), "destination");
    }

    private static JsonNode mount(JsonNode config, String destination) {
        for (JsonNode m : config.path("mounts")) {
            if (m.path("destination").asText().equals(destination)) {
                return m;
            }
        }
        throw new AssertionError("no mount at " + destination);
    }
}
