package dev.berth.engine.api.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.CreateRequest;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.engine.snapshot.ChainIds;
import dev.berth.engine.snapshot.Mounts;
import dev.berth.testkit.EngineExtension;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /containers/{id}/xray} against real containers under runc, checked against /proc, cgroupfs and the snapshots. */
@RootOnly
class XrayApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final EngineExtension engine = EngineExtension.start().withBusybox("busybox:latest").serving();

    /** GET with {@code Connection: close}: status code and body (the route answers with a plain body). */
    static Object[] get(String target) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(engine.socket()));
            String req = "GET " + target + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
            ch.write(java.nio.ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            String text = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            String body = text.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                StringBuilder b = new StringBuilder();
                int i = 0;
                while (true) {
                    int eol = body.indexOf("\r\n", i);
                    int size = Integer.parseInt(body.substring(i, eol).strip(), 16);
                    if (size == 0) {
                        break;
                    }
                    b.append(body, eol + 2, eol + 2 + size);
                    i = eol + 2 + size + 2;
                }
                body = b.toString();
            }
            return new Object[] {Integer.parseInt(head.split(" ")[1]), body};
        }
    }

    static boolean canRead(Path link) {
        try {
            Files.readSymbolicLink(link);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static long nsInode(Path link) throws IOException {
        String s = Files.readSymbolicLink(link).toString(); // pid:[4026531836]
        return Long.parseLong(s.substring(s.indexOf('[') + 1, s.indexOf(']')));
    }

    @Test
    void namespaceInodesAreTheKernelsAndIsolatedOnesDifferFromTheHost() throws Exception {
        ContainerService svc = engine.engine().containers();
        Container c = svc.start(svc.create(CreateRequest.builder("busybox").name("xr-ns").networkMode("none")
                .cmd("sleep", "60").build()).id());
        long pid = c.state().pid();
        Object[] r = get("/v1.47/containers/xr-ns/xray");
        assertThat(r[0]).isEqualTo(200);
        JsonNode x = JSON.readTree((String) r[1]);
        assertThat(x.get("Running").asBoolean()).isTrue();
        assertThat(x.get("Pid").asLong()).isEqualTo(pid);
        // /proc/1/ns when this process may read it, else its own (a sandboxed test run)
        Path hostNs = Files.isReadable(Path.of("/proc/1/ns/pid")) && canRead(Path.of("/proc/1/ns/pid"))
                ? Path.of("/proc/1/ns") : Path.of("/proc/self/ns");
        assertThat(x.get("HostNamespaces").asText()).isEqualTo(hostNs.toString());
        Map<String, JsonNode> byType = new HashMap<>();
        x.get("Namespaces").forEach(n -> byType.put(n.get("Type").asText(), n));
        for (String type : List.of("pid", "mnt", "uts", "ipc", "net", "user", "cgroup")) {
            JsonNode n = byType.get(type);
            assertThat(n).as(type).isNotNull();
            assertThat(n.get("Inode").asLong()).as(type).isEqualTo(nsInode(Path.of("/proc/" + pid + "/ns/" + type)));
            assertThat(n.get("HostInode").asLong()).as(type).isEqualTo(nsInode(hostNs.resolve(type)));
        }
        for (String isolated : List.of("pid", "mnt", "uts", "ipc", "net")) {
            assertThat(byType.get(isolated).get("Shared").asBoolean()).as(isolated).isFalse();
            assertThat(byType.get(isolated).get("Inode").asLong()).isNotEqualTo(byType.get(isolated).get("HostInode").asLong());
        }
        // Berth does not use a user namespace: the container shares the host's
        assertThat(byType.get("user").get("Shared").asBoolean()).isTrue();
    }

    @Test
    void limitsSetAtCreateAreTheOnesInTheCgroupFiles() throws Exception {
        ContainerService svc = engine.engine().containers();
        long memory = 64L * 1024 * 1024;
        RunSpec.Resources res = new RunSpec.Resources(memory, null, null, 512L, 500_000_000L, "0", null, 42L, null);
        Container c = svc.start(svc.create(CreateRequest.builder("busybox").name("xr-cg").networkMode("none")
                .resources(res).cmd("sleep", "60").build()).id());
        JsonNode x = JSON.readTree((String) get("/v1.47/containers/" + c.id() + "/xray")[1]);
        JsonNode cg = x.get("Cgroup");
        assertThat(cg.get("Path").asText()).isEqualTo("/berth/" + c.id());
        Cgroups cgroups = Cgroups.host();
        assertThat(cg.get("Layout").asText()).isEqualTo(cgroups.layout().name());
        Map<String, JsonNode> limits = new HashMap<>();
        cg.get("Limits").forEach(l -> limits.put(l.get("Resource").asText(), l));
        for (String resource : List.of("memory", "pids", "cpuset-cpus", "cpu-quota")) {
            JsonNode l = limits.get(resource);
            assertThat(l).as(resource).isNotNull();
            String onDisk = Files.readString(Path.of(l.get("File").asText())).strip();
            assertThat(l.get("Value").asText()).as(resource).isEqualTo(onDisk);
            assertThat(l.get("File").asText()).contains("/berth/" + c.id());
        }
        assertThat(limits.get("pids").get("Value").asText()).isEqualTo("42");
        assertThat(limits.get("pids").get("Requested").asText()).isEqualTo("42");
        assertThat(limits.get("cpuset-cpus").get("Value").asText()).isEqualTo("0");
        if (cgroups.unified()) {
            assertThat(limits.get("memory").get("Value").asText()).isEqualTo(Long.toString(memory));
            assertThat(limits.get("cpu-quota").get("Value").asText()).isEqualTo("50000 100000");
        } else {
            assertThat(limits.get("memory").get("Value").asText()).isEqualTo(Long.toString(memory));
            assertThat(limits.get("memory").get("Requested").asText()).isEqualTo(Long.toString(memory));
            assertThat(limits.get("cpu-shares").get("Value").asText()).isEqualTo("512");
            assertThat(limits.get("cpu-quota").get("Value").asText()).isEqualTo("50000");
            assertThat(limits.get("cpu-quota").get("Requested").asText()).isEqualTo("50000");
        }
        Map<String, JsonNode> usage = new HashMap<>();
        cg.get("Usage").forEach(u -> usage.put(u.get("Resource").asText(), u));
        assertThat(Long.parseLong(usage.get("pids").get("Value").asText())).isGreaterThanOrEqualTo(1);
        assertThat(Long.parseLong(usage.get("memory").get("Value").asText())).isPositive();
    }

    @Test
    void lowerDirsAreTheImagesSnapshotsWithTheirLayerDigests() throws Exception {
        ContainerService svc = engine.engine().containers();
        Container c = svc.start(svc.create(CreateRequest.builder("busybox").name("xr-fs").networkMode("none")
                .cmd("sleep", "60").build()).id());
        JsonNode fs = JSON.readTree((String) get("/v1.47/containers/xr-fs/xray")[1]).get("Rootfs");
        Mounts m = engine.engine().snapshots().mounts(c.snapshotKey());
        ImageRecord image = engine.engine().images().get(c.imageId()).orElseThrow();
        List<String> chains = new ArrayList<>(ChainIds.of(image.diffIds()).stream().map(Object::toString).toList());
        java.util.Collections.reverse(chains); // overlay's lowerdir is newest first
        List<String> diffs = new ArrayList<>(image.diffIds().stream().map(Object::toString).toList());
        java.util.Collections.reverse(diffs);

        assertThat(fs.get("Mounted").asBoolean()).isTrue();
        assertThat(fs.get("MergedDir").asText()).isEqualTo(c.paths().rootfs().toString());
        assertThat(fs.get("UpperDir").asText()).isEqualTo(m.upperDir().orElseThrow().toString());
        assertThat(fs.get("WorkDir").asText()).isEqualTo(m.workDir().orElseThrow().toString());
        JsonNode lowers = fs.get("LowerDirs");
        assertThat(lowers.size()).isEqualTo(m.lowerDirs().size()).isEqualTo(image.diffIds().size());
        for (int i = 0; i < lowers.size(); i++) {
            assertThat(lowers.get(i).get("Dir").asText()).isEqualTo(m.lowerDirs().get(i).toString());
            assertThat(lowers.get(i).get("ChainID").asText()).isEqualTo(chains.get(i));
            assertThat(lowers.get(i).get("DiffID").asText()).isEqualTo(diffs.get(i));
            // the snapshotter really holds that layer there: a committed snapshot keyed by the chain ID
            assertThat(engine.engine().snapshots().stat(chains.get(i)).kind())
                    .isEqualTo(dev.berth.engine.snapshot.Snapshotter.Kind.COMMITTED);
        }
        // the kernel mounted exactly these directories
        String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
        String line = mountinfo.lines().filter(l -> l.contains(" " + c.paths().rootfs() + " ")).findFirst().orElseThrow();
        assertThat(line).contains("upperdir=" + m.upperDir().orElseThrow()).contains(m.lowerDirs().getFirst().toString());
    }

    @Test
    void unknownContainerIs404AndAStoppedOneSaysSoWithoutNamespaces() throws Exception {
        Object[] missing = get("/v1.47/containers/nope/xray");
        assertThat(missing[0]).isEqualTo(404);
        assertThat((String) missing[1]).contains("No such container: nope");

        ContainerService svc = engine.engine().containers();
        Container c = svc.create(CreateRequest.builder("busybox").name("xr-stopped").networkMode("none").cmd("true").build());
        svc.start(c.id());
        svc.wait(c.id(), ContainerService.WaitCondition.NOT_RUNNING, Duration.ofSeconds(20));
        Object[] r = get("/v1.47/containers/xr-stopped/xray");
        assertThat(r[0]).isEqualTo(200);
        JsonNode x = JSON.readTree((String) r[1]);
        assertThat(x.get("Running").asBoolean()).isFalse();
        assertThat(x.get("Namespaces").size()).isZero();
        assertThat(x.get("Cgroup").get("Limits").size()).isZero();
        assertThat(x.get("Rootfs").get("Mounted").asBoolean()).isFalse();
        assertThat(x.get("Rootfs").get("LowerDirs").size()).isPositive();
    }
}
