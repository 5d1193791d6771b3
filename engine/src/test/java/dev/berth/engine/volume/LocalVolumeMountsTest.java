package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.snapshot.Mounter;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Local volumes backed by a tmpfs or a host directory: real mounts, seen in /proc/self/mountinfo. Needs root. */
@RootOnly
class LocalVolumeMountsTest {

    @TempDir
    Path root;

    @TempDir
    Path host;

    private static final String CTR_A = "a".repeat(64);
    private static final String CTR_B = "b".repeat(64);

    @AfterEach
    void noMountLeftBehind() {
        List<Path> left = new java.util.ArrayList<>(Mounts.mountPointsUnder(root));
        left.addAll(Mounts.mountPointsUnder(host));
        Mounts.unmountAllUnder(root);
        Mounts.unmountAllUnder(host);
        assertThat(left).as("mounts left in /proc/self/mountinfo").isEmpty();
    }

    private static Optional<Mounter.MountInfo> mountAt(Path p) {
        return Mounter.mounted().stream().filter(m -> m.mountPoint().equals(p)).findFirst();
    }

    @Test
    void tmpfsVolumeIsATmpfsWhileInUseAndUnmountedWhenTheLastUserLeaves() throws Exception {
        LocalVolumeService volumes = new LocalVolumeService(root);
        Volume v = volumes.create(new VolumeCreate("fast", null,
                Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=2m,uid=1000,mode=0750"), Map.of()));
        assertThat(v.options()).containsEntry("o", "size=2m,uid=1000,mode=0750");
        Path data = v.mountpoint();
        assertThat(mountAt(data)).as("not mounted before first use").isEmpty();
        assertThatThrownBy(() -> volumes.mountSource("fast")).isInstanceOf(EngineException.FailedPrecondition.class);

        try {
            assertThat(volumes.acquire("fast", CTR_A)).isEqualTo(data);
            volumes.acquire("fast", CTR_B);
            Mounter.MountInfo m = mountAt(data).orElseThrow();
            assertThat(m.fsType()).isEqualTo("tmpfs");
            assertThat(m.superOptions()).contains("size=2048k", "uid=1000", "mode=750");
            assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(1000);
            Files.writeString(data.resolve("f"), "in memory");

            volumes.release("fast", CTR_A);
            assertThat(mountAt(data)).as("still used by B").isPresent();
            assertThat(new LocalVolumeService(root).mountSource("fast").resolve("f"))
                    .as("a restarted engine keeps the mount of a used volume").hasContent("in memory");
            volumes.release("fast", CTR_B);
            assertThat(mountAt(data)).as("unmounted with its last user").isEmpty();
            assertThat(data).isEmptyDirectory();
            volumes.remove("fast", false);
            assertThat(root.resolve("volumes/fast")).doesNotExist();
        } finally {
            Mounts.unmountAllUnder(root);
        }
    }

    @Test
    void aRestartedEngineUnmountsATmpfsVolumeNobodyUses() {
        LocalVolumeService volumes = new LocalVolumeService(root);
        volumes.create(new VolumeCreate("leftover", null, Map.of("type", "tmpfs", "device", "tmpfs"), Map.of()));
        Path data = volumes.acquire("leftover", CTR_A);
        try {
            assertThat(mountAt(data)).isPresent();
            // the container went away while the engine was down: its record no longer lists it
            LocalVolumeService.VolumeRecord r = dev.berth.engine.state.Json.read(
                    root.resolve("volumes/leftover/volume.json"), LocalVolumeService.VolumeRecord.class);
            dev.berth.engine.state.Json.write(root.resolve("volumes/leftover/volume.json"), r.withUsers(java.util.List.of()));
            new LocalVolumeService(root);
            assertThat(mountAt(data)).isEmpty();
        } finally {
            Mounts.unmountAllUnder(root);
        }
    }

    @Test
    void bindVolumeMountsAHostDirectoryAndRemoveNeverTouchesIt() throws Exception {
        Path hostDir = Files.createDirectories(host.resolve("exported"));
        Files.writeString(hostDir.resolve("existing.txt"), "from the host");
        LocalVolumeService volumes = new LocalVolumeService(root);
        volumes.create(new VolumeCreate("hostdir", null, Map.of("type", "none", "o", "bind", "device", hostDir.toString()), Map.of()));
        try {
            Path data = volumes.acquire("hostdir", CTR_A);
            assertThat(data.resolve("existing.txt")).hasContent("from the host");
            Files.writeString(data.resolve("written.txt"), "through the volume");
            assertThat(hostDir.resolve("written.txt")).hasContent("through the volume");
            assertThat(mountAt(data)).isPresent();
            volumes.release("hostdir", CTR_A);
            assertThat(mountAt(data)).isEmpty();
            volumes.remove("hostdir", false);
            assertThat(hostDir.resolve("existing.txt")).hasContent("from the host");
            assertThat(hostDir.resolve("written.txt")).exists();
        } finally {
            Mounts.unmountAllUnder(root);
        }
    }

    @Test
    void readOnlyBindVolumeRefusesWritesAndAMissingDeviceIsAClearError() throws Exception {
        Path hostDir = Files.createDirectories(host.resolve("ro"));
        LocalVolumeService volumes = new LocalVolumeService(root);
        volumes.create(new VolumeCreate("robind", null, Map.of("type", "none", "o", "bind,ro", "device", hostDir.toString()), Map.of()));
        volumes.create(new VolumeCreate("gone", null, Map.of("type", "none", "o", "bind", "device", host.resolve("nope").toString()), Map.of()));
        try {
            Path data = volumes.acquire("robind", CTR_A);
            assertThatThrownBy(() -> Files.writeString(data.resolve("x"), "no")).hasMessageContaining("Read-only file system");
            assertThatThrownBy(() -> volumes.acquire("gone", CTR_A))
                    .isInstanceOf(EngineException.FailedPrecondition.class)
                    .hasMessageContaining("bind device " + host.resolve("nope") + " is not an existing directory");
            assertThat(volumes.users("gone")).as("a failed mount does not count as a use").isEmpty();
            volumes.release("robind", CTR_A);
        } finally {
            Mounts.unmountAllUnder(root);
        }
    }
}
