package dev.berth.engine.api.containers;

import dev.berth.engine.volume.Volume;
import dev.berth.testkit.DockerCli;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Volumes, bind mounts and tmpfs inside containers through the docker CLI against a real engine. */
@RootOnly
class VolumesCliTest {

    @RegisterExtension
    static final NetworkedEngine net = NetworkedEngine.perClass("10.77.60.0/24", "bnwv").cleaningAfterEach();

    private static List<String> volumeNames() {
        return net.engine().volumes().list().stream().map(Volume::name).toList();
    }

    @Test
    void aNamedVolumeKeepsItsDataAcrossContainers() {
        net.ok("run", "--rm", "-v", "keep:/data", "busybox", "sh", "-c", "echo kept > /data/f");
        assertThat(volumeNames()).contains("keep");
        assertThat(net.ok("run", "--rm", "-v", "keep:/data", "busybox", "cat", "/data/f")).isEqualTo("kept\n");
        assertThat(net.ok("run", "--rm", "--mount", "type=volume,source=keep,target=/other,readonly", "busybox",
                "cat", "/other/f")).isEqualTo("kept\n");
        assertThat(net.docker("run", "--rm", "--mount", "type=volume,source=keep,target=/other,readonly", "busybox",
                "sh", "-c", "echo x > /other/g").exit()).isNotZero();
        // Docker's volume events for each run: mount at start, unmount at its end
        List<String> events = net.engine().events().recent().stream()
                .filter(e -> e.type().equals("volume") && e.actorId().equals("keep")).map(e -> e.action()).toList();
        assertThat(events).containsSubsequence("mount", "unmount", "mount", "unmount", "mount", "unmount");
    }

    @Test
    void volumesFromSharesTheDataContainersVolumesAndRoMakesThemReadOnly() {
        net.ok("create", "--name", "store", "-v", "/shared", "busybox", "true");
        String anon = net.ok("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "store").strip();
        assertThat(anon).matches("[0-9a-f]{64}");
        net.ok("run", "--rm", "--volumes-from", "store", "busybox", "sh", "-c", "echo shared-data > /shared/y");
        assertThat(net.ok("run", "--rm", "--volumes-from", "store:ro", "busybox", "cat", "/shared/y")).isEqualTo("shared-data\n");
        DockerCli.Run ro = net.docker("run", "--rm", "--volumes-from", "store:ro", "busybox", "sh", "-c", "echo z > /shared/w");
        assertThat(ro.exit()).isNotZero();
        assertThat(ro.err()).contains("Read-only file system");
        // the volume outlives the containers that used it through --volumes-from
        assertThat(volumeNames()).contains(anon);
    }

    @Test
    void aNewVolumeIsFilledFromTheImageOnFirstUseAndAnImageVolumeBecomesAnonymous() {
        net.ok("run", "--name", "seeder", "busybox", "sh", "-c", "mkdir /seed && echo from-image > /seed/hello");
        net.ok("commit", "--change", "VOLUME /seed", "seeder", "seeded:1");
        // an explicit new named volume gets the image's content at its path
        assertThat(net.ok("run", "--rm", "-v", "fresh:/seed", "seeded:1", "cat", "/seed/hello")).isEqualTo("from-image\n");
        // a populated volume is not filled again
        net.ok("run", "--rm", "-v", "fresh:/seed", "seeded:1", "sh", "-c", "echo changed > /seed/hello");
        assertThat(net.ok("run", "--rm", "-v", "fresh:/seed", "seeded:1", "cat", "/seed/hello")).isEqualTo("changed\n");
        // the image's VOLUME becomes an anonymous volume, filled too
        net.ok("run", "--name", "imgvol", "seeded:1", "cat", "/seed/hello");
        assertThat(net.ok("logs", "imgvol")).isEqualTo("from-image\n");
        String anon = net.ok("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}", "imgvol");
        assertThat(anon).matches("volume [0-9a-f]{64} /seed true\n");
    }

    @Test
    void aVolumeInUseCannotBeRemovedAndTheErrorNamesItsContainer() {
        String id = net.ok("create", "--name", "holder", "-v", "busy:/d", "busybox", "true").strip();
        DockerCli.Run refused = net.docker("volume", "rm", "busy");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("volume is in use").contains(id);
        assertThat(volumeNames()).contains("busy");
        net.ok("rm", "holder");
        net.ok("volume", "rm", "busy");
        assertThat(volumeNames()).doesNotContain("busy");
    }

    @Test
    void rmVRemovesOnlyAnonymousVolumes() {
        net.ok("create", "--name", "both", "-v", "named:/n", "-v", "/anon", "busybox", "true");
        String anon = net.ok("inspect", "-f", "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}", "both").strip();
        assertThat(volumeNames()).contains("named", anon);
        net.ok("rm", "-v", "both");
        assertThat(volumeNames()).contains("named").doesNotContain(anon);
        // without -v the anonymous volume stays
        net.ok("create", "--name", "kept", "-v", "/anon2", "busybox", "true");
        String anon2 = net.ok("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "kept").strip();
        net.ok("rm", "kept");
        assertThat(volumeNames()).contains(anon2);
        // run --rm removes its anonymous volumes
        List<String> before = volumeNames();
        net.ok("run", "--rm", "-v", "/scratch", "busybox", "true");
        assertThat(volumeNames()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aReadOnlyBindMountRefusesWritesAndAWritableOneWritesToTheHost() throws Exception {
        Path dir = Files.createDirectories(net.dir().resolve("bind-src"));
        Files.writeString(dir.resolve("in.txt"), "from-host\n");
        assertThat(net.ok("run", "--rm", "-v", dir + ":/b:ro", "busybox", "cat", "/b/in.txt")).isEqualTo("from-host\n");
        DockerCli.Run ro = net.docker("run", "--rm", "-v", dir + ":/b:ro", "busybox", "sh", "-c", "echo x > /b/new.txt");
        assertThat(ro.exit()).isNotZero();
        assertThat(ro.err()).contains("Read-only file system");
        assertThat(dir.resolve("new.txt")).doesNotExist();
        net.ok("run", "--rm", "--mount", "type=bind,source=" + dir + ",target=/b", "busybox", "sh", "-c", "echo y > /b/new.txt");
        assertThat(dir.resolve("new.txt")).hasContent("y");
        // a -v bind creates a missing source directory, --mount refuses one
        Path missing = net.dir().resolve("made-by-v");
        net.ok("run", "--rm", "-v", missing + ":/m", "busybox", "true");
        assertThat(missing).isDirectory();
        assertThat(net.docker("run", "--rm", "--mount", "type=bind,source=" + net.dir().resolve("nope") + ",target=/m",
                "busybox", "true").err()).contains("bind source path does not exist");
    }

    @Test
    void tmpfsMountsAreTmpfsInsideAndInspectListsMounts() throws Exception {
        String out = net.ok("run", "--rm", "--tmpfs", "/t1:size=1m", "--mount", "type=tmpfs,target=/t2", "busybox", "sh", "-c",
                "grep -E ' /t[12] ' /proc/mounts");
        assertThat(out).contains("tmpfs /t1 tmpfs").contains("tmpfs /t2 tmpfs");
        Path dir = Files.createDirectories(net.dir().resolve("inspect-src"));
        net.ok("create", "--name", "shown", "-v", "vol1:/v", "-v", dir + ":/h:ro", "busybox", "true");
        assertThat(net.ok("inspect", "-f", "{{range .Mounts}}{{.Type}}:{{.Source}}:{{.Destination}}:{{.RW}} {{end}}", "shown"))
                .contains("volume:" + net.engine().volumes().inspect("vol1").mountpoint() + ":/v:true")
                .contains("bind:" + dir + ":/h:false");
        assertThat(net.ok("ps", "-a", "--format", "{{.Mounts}}")).contains("vol1");
    }
}
