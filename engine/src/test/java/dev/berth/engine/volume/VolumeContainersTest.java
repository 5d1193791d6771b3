package dev.berth.engine.volume;

import dev.berth.engine.runtime.BusyboxRootfs;
import dev.berth.engine.runtime.ContainerHarness;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Volumes and bind mounts in real containers (runc through conmon, busybox root filesystems):
 * data written by one container is read by the next, a read-only mount refuses writes from
 * inside, --volumes-from shares the other container's volumes. Needs root.
 */
@RootOnly
class VolumeContainersTest {

    @TempDir
    Path dir;

    ContainerHarness h;
    LocalVolumeService volumes;
    VolumeAttacher attacher;

    @BeforeEach
    void setUp() {
        h = new ContainerHarness(dir);
        volumes = new LocalVolumeService(dir.resolve("state"));
        attacher = new VolumeAttacher(volumes);
    }

    @AfterEach
    void tearDown() {
        h.close();
        List<Path> left = Mounts.mountPointsUnder(dir);
        Mounts.unmountAllUnder(dir);
        assertThat(left).as("mounts left in /proc/self/mountinfo").isEmpty();
    }

    /** Attaches {@code mounts} to a new container running {@code script} and runs it to its end. */
    private Run run(String script, List<MountSpec> mounts) throws Exception {
        String id = ContainerHarness.newId();
        Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs-" + id.substring(0, 12)));
        VolumeAttacher.Attached attached = attacher.attach(id, rootfs, mounts);
        RunSpec.Builder spec = RunSpec.builder(List.of("sh", "-c", script));
        attached.binds().forEach(spec::bind);
        attached.tmpfs().forEach(spec::tmpfs);
        ContainerHarness.Ctr c = h.create(id, rootfs, spec.build(), 0);
        h.runtime().start(id);
        int code = h.runtime().waitForExit(id, java.time.Duration.ofSeconds(20)).orElseThrow();
        var entries = dev.berth.engine.runtime.LogReader.read(c.log(), dev.berth.engine.runtime.LogReader.Query.ALL);
        return new Run(id, attached, new ContainerHarness.Finished(code, entries));
    }

    private record Run(String id, VolumeAttacher.Attached attached, ContainerHarness.Finished finished) {}

    @Test
    void dataWrittenByOneContainerIsReadByTheNextAndOutlivesBoth() throws Exception {
        Run writer = run("echo hello from the writer > /data/msg; id -u > /data/uid", List.of(MountSpecs.parseVolumeFlag("shared:/data")));
        assertThat(writer.finished().exitCode()).isZero();
        attacher.detach(writer.id(), writer.attached().mounts(), true);

        Run reader = run("cat /data/msg", List.of(MountSpecs.parseMountFlag("type=volume,source=shared,target=/data,readonly")));
        assertThat(reader.finished().stdout()).isEqualTo("hello from the writer\n");
        attacher.detach(reader.id(), reader.attached().mounts(), true);

        assertThat(volumes.inspect("shared").mountpoint().resolve("msg")).hasContent("hello from the writer\n");
        assertThat(volumes.users("shared")).isEmpty();
    }

    @Test
    void aReadOnlyBindMountRefusesWritesFromInside() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host-ro"));
        Files.writeString(host.resolve("conf"), "setting=1\n");
        Run r = run("cat /conf/conf; echo changed > /conf/conf || echo refused; touch /conf/new || echo refused again",
                List.of(MountSpecs.parseVolumeFlag(host + ":/conf:ro")));
        assertThat(r.finished().stdout()).isEqualTo("setting=1\nrefused\nrefused again\n");
        assertThat(r.finished().stderr()).contains("Read-only file system");
        assertThat(host.resolve("conf")).hasContent("setting=1\n");
        assertThat(host.resolve("new")).doesNotExist();

        Run rw = run("echo written > /conf/new", List.of(MountSpecs.parseMountFlag("type=bind,src=" + host + ",dst=/conf")));
        assertThat(rw.finished().exitCode()).isZero();
        assertThat(host.resolve("new")).hasContent("written\n");
    }

    @Test
    void volumesFromSharesTheDataContainersVolumesAndRoMakesThemReadOnly() throws Exception {
        Run data = run("echo seeded > /store/seed", List.of(MountSpecs.parseVolumeFlag("/store")));
        assertThat(data.finished().exitCode()).isZero();
        String anon = ((MountSpec.VolumeMount) data.attached().mounts().getFirst()).name();

        List<MountSpec> shared = VolumesFrom.parse("data").resolve(data.attached().mounts(), List.of());
        Run user = run("cat /store/seed; echo appended >> /store/seed", shared);
        assertThat(user.finished().stdout()).isEqualTo("seeded\n");
        assertThat(volumes.users(anon)).containsExactlyInAnyOrder(data.id(), user.id());

        List<MountSpec> readOnly = VolumesFrom.parse("data:ro").resolve(data.attached().mounts(), List.of());
        Run ro = run("cat /store/seed; echo no >> /store/seed || echo refused", readOnly);
        assertThat(ro.finished().stdout()).isEqualTo("seeded\nappended\nrefused\n");

        attacher.detach(data.id(), data.attached().mounts(), true);
        assertThat(volumes.list()).as("still used by the others: rm -v keeps it").extracting(Volume::name).containsExactly(anon);
        attacher.detach(user.id(), user.attached().mounts(), true);
        attacher.detach(ro.id(), ro.attached().mounts(), true);
        assertThat(volumes.list()).as("the last container with rm -v removes the anonymous volume").isEmpty();
    }

    @Test
    void aTmpfsBackedVolumeAndATmpfsMountWorkInside() throws Exception {
        volumes.create(new VolumeCreate("ram", null, Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m"), Map.of()));
        Run r = run("echo x > /ram/f && grep -c ' /ram tmpfs ' /proc/self/mounts; grep ' /scratch ' /proc/self/mounts",
                List.of(MountSpecs.parseVolumeFlag("ram:/ram"), MountSpecs.parseTmpfsFlag("/scratch:size=512k")));
        assertThat(r.finished().stdout()).startsWith("1\ntmpfs /scratch tmpfs rw,nosuid,nodev,noexec");
        assertThat(volumes.mountSource("ram").resolve("f")).hasContent("x\n");
        attacher.detach(r.id(), r.attached().mounts(), false);
        assertThatThrownBy(() -> volumes.mountSource("ram")).isInstanceOf(dev.berth.engine.errors.EngineException.FailedPrecondition.class);
    }
}
