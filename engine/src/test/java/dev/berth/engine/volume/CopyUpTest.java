package dev.berth.engine.volume;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.layer.Posix;
import dev.berth.engine.runtime.BusyboxRootfs;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first-use copy of an image's content into a new volume, from a busybox root filesystem
 * with files of several owners, modes, links, a FIFO and extended attributes, and with links
 * that point out of the image. Needs root (ownership).
 */
@RootOnly
class CopyUpTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String CTR = "c".repeat(64);
    private static final FileTime OLD = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));

    @TempDir
    Path tmp;

    Path image;
    Path canary;
    LocalVolumeService volumes;

    @BeforeEach
    void setUp() throws Exception {
        canary = Files.createDirectories(tmp.resolve("host-canary"));
        Files.writeString(canary.resolve("secret"), "host secret");
        image = BusyboxRootfs.create(tmp.resolve("image"));
        Path etc = image.resolve("etc");
        Path shadow = Files.writeString(etc.resolve("shadow"), "root:*:1::::::\n");
        Posix.lchown(shadow, 0, 42);
        Posix.chmod(shadow, 0640);
        Path app = Files.createDirectories(etc.resolve("app"));
        Path config = Files.writeString(app.resolve("config"), "key=value\n");
        Posix.lchown(config, 1000, 1000);
        Posix.chmod(config, 0600);
        Posix.lsetxattr(config, "user.berth.note", "kept".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(config, OLD);
        Path suid = Files.write(etc.resolve("helper"), new byte[]{1, 2, 3});
        Posix.chmod(suid, 04755);
        Files.createLink(etc.resolve("helper-link"), suid);
        Files.createSymbolicLink(etc.resolve("app-current"), Path.of("app"));
        Posix.mknod(etc.resolve("pipe"), Posix.S_IFIFO, 0620, 0, 0);
        Posix.chmod(etc.resolve("pipe"), 0620); // past the umask
        // hostile: links that point at the host's canary
        Files.createSymbolicLink(etc.resolve("evil"), canary.resolve("secret"));
        Files.createSymbolicLink(etc.resolve("evil-dir"), canary);
        Files.setLastModifiedTime(app, OLD);
        // a home directory with its own owner and mode
        Path home = image.resolve("home/app");
        Files.writeString(home.resolve(".profile"), "export PS1=app\n");
        Posix.lchown(home, 1000, 1000);
        Posix.chmod(home, 0700);
        // /var/run -> /run inside the image, and links that try to leave it
        Files.createDirectories(image.resolve("run/app"));
        Files.writeString(image.resolve("run/app/pid"), "42\n");
        Files.createDirectories(image.resolve("var"));
        Files.createSymbolicLink(image.resolve("var/run"), Path.of("/run"));
        Files.createSymbolicLink(image.resolve("escape"), canary);
        Files.createSymbolicLink(image.resolve("up"), Path.of("../../../../../../.." + canary));
        volumes = new LocalVolumeService(tmp.resolve("state"));
    }

    @AfterEach
    void noMountLeftBehind() {
        List<Path> left = Mounts.mountPointsUnder(tmp);
        Mounts.unmountAllUnder(tmp);
        assertThat(left).as("mounts left in /proc/self/mountinfo").isEmpty();
    }

    private static Map<String, Object> unix(Path p) throws Exception {
        return Files.readAttributes(p, "unix:mode,uid,gid,ino,nlink", NOFOLLOW);
    }

    @Test
    void etcIsCopiedWithModesOwnersTimesLinksAndXattrs() throws Exception {
        volumes.create(VolumeCreate.named("etc-copy"));
        Path data = volumes.acquire("etc-copy", CTR);

        CopyUpOutcome outcome = volumes.copyUp("etc-copy", image, "/etc");

        assertThat(outcome).isInstanceOf(CopyUpOutcome.Copied.class);
        assertThat(((CopyUpOutcome.Copied) outcome).entries()).isGreaterThanOrEqualTo(11);
        assertThat(data.resolve("passwd")).hasSameTextualContentAs(image.resolve("etc/passwd"));
        assertThat(unix(data.resolve("shadow"))).containsEntry("uid", 0).containsEntry("gid", 42).containsEntry("mode", 0100640);
        assertThat(unix(data.resolve("app/config"))).containsEntry("uid", 1000).containsEntry("gid", 1000).containsEntry("mode", 0100600);
        assertThat(Posix.lgetxattr(data.resolve("app/config"), "user.berth.note")).hasValueSatisfying(
                v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("kept"));
        assertThat(Files.getLastModifiedTime(data.resolve("app/config"), NOFOLLOW)).isEqualTo(OLD);
        assertThat(Files.getLastModifiedTime(data.resolve("app"), NOFOLLOW)).isEqualTo(OLD);
        assertThat(unix(data.resolve("helper")).get("mode")).isEqualTo(0104755);
        assertThat(unix(data.resolve("helper-link")).get("ino")).isEqualTo(unix(data.resolve("helper")).get("ino"));
        assertThat(unix(data.resolve("helper")).get("nlink")).isEqualTo(2);
        assertThat(Files.readSymbolicLink(data.resolve("app-current"))).isEqualTo(Path.of("app"));
        assertThat((Integer) unix(data.resolve("pipe")).get("mode")).isEqualTo(Posix.S_IFIFO | 0620);
        // the hostile links are copied as links, never followed
        assertThat(Files.isSymbolicLink(data.resolve("evil"))).isTrue();
        assertThat(Files.readSymbolicLink(data.resolve("evil"))).isEqualTo(canary.resolve("secret"));
        assertThat(Files.isSymbolicLink(data.resolve("evil-dir"))).isTrue();
        try (var all = Files.walk(data)) {
            assertThat(all.filter(p -> Files.isRegularFile(p, NOFOLLOW))
                    .filter(p -> readQuietly(p).contains("host secret"))).isEmpty();
        }
        assertThat(canary.resolve("secret")).hasContent("host secret");
        assertThat(canary).isDirectoryContaining(p -> p.getFileName().toString().equals("secret"));
        try (var c = Files.list(canary)) {
            assertThat(c.count()).as("nothing written into the host's directory").isEqualTo(1);
        }
        volumes.release("etc-copy", CTR);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void theVolumeTopTakesTheOwnerAndModeOfTheImagesDirectory() throws Exception {
        volumes.create(VolumeCreate.named("home"));
        Path data = volumes.acquire("home", CTR);
        assertThat(volumes.copyUp("home", image, "/home/app")).isEqualTo(new CopyUpOutcome.Copied(1));
        assertThat(unix(data)).containsEntry("uid", 1000).containsEntry("gid", 1000).containsEntry("mode", 040700);
        assertThat(data.resolve(".profile")).hasContent("export PS1=app\n");
    }

    @Test
    void linksAreFollowedOnlyInsideTheImageRoot() throws Exception {
        volumes.create(VolumeCreate.named("run"));
        volumes.create(VolumeCreate.named("escape"));
        volumes.create(VolumeCreate.named("up"));
        Path run = volumes.acquire("run", CTR);
        Path escape = volumes.acquire("escape", CTR);
        Path up = volumes.acquire("up", CTR);

        assertThat(volumes.copyUp("run", image, "/var/run/app")).isEqualTo(new CopyUpOutcome.Copied(1));
        assertThat(run.resolve("pid")).hasContent("42\n");
        assertThat(volumes.copyUp("escape", image, "/escape")).isEqualTo(new CopyUpOutcome.NothingInImage("/escape"));
        assertThat(volumes.copyUp("up", image, "/up")).isEqualTo(new CopyUpOutcome.NothingInImage("/up"));
        assertThat(escape).isEmptyDirectory();
        assertThat(up).isEmptyDirectory();
        assertThat(volumes.copyUp("escape", image, "/no/such/dir")).isEqualTo(new CopyUpOutcome.NothingInImage("/no/such/dir"));
    }

    @Test
    void theCopyHappensOnceAndNeverIntoAVolumeWithData() throws Exception {
        volumes.create(VolumeCreate.named("once"));
        Path data = volumes.acquire("once", CTR);
        assertThat(volumes.copyUp("once", image, "/etc")).isInstanceOf(CopyUpOutcome.Copied.class);
        try (var s = Files.list(data)) {
            for (Path p : s.toList()) {
                if (Files.isDirectory(p, NOFOLLOW)) {
                    dev.berth.testkit.TestFiles.deleteTree(p);
                } else {
                    Files.delete(p);
                }
            }
        }
        assertThat(volumes.copyUp("once", image, "/etc")).isEqualTo(new CopyUpOutcome.AlreadyPopulated());
        assertThat(data).isEmptyDirectory();
        assertThat(new LocalVolumeService(tmp.resolve("state")).copyUp("once", image, "/etc"))
                .as("remembered across an engine restart").isEqualTo(new CopyUpOutcome.AlreadyPopulated());

        volumes.create(VolumeCreate.named("hasdata"));
        Path other = volumes.acquire("hasdata", CTR);
        Files.writeString(other.resolve("mine"), "user data");
        assertThat(volumes.copyUp("hasdata", image, "/etc")).isEqualTo(new CopyUpOutcome.AlreadyPopulated());
        try (var s = Files.list(other)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("mine");
        }
    }

    @Test
    void aTmpfsVolumeIsFilledAgainAfterItWasUnmounted() throws Exception {
        volumes.create(new VolumeCreate("mem", null, Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=4m"), Map.of()));
        assertThatThrownBy(() -> volumes.copyUp("mem", image, "/etc")).isInstanceOf(EngineException.FailedPrecondition.class);
        try {
            Path data = volumes.acquire("mem", CTR);
            assertThat(volumes.copyUp("mem", image, "/etc")).isInstanceOf(CopyUpOutcome.Copied.class);
            assertThat(data.resolve("passwd")).exists();
            volumes.release("mem", CTR);
            assertThat(data).isEmptyDirectory();
            volumes.acquire("mem", CTR);
            assertThat(volumes.copyUp("mem", image, "/etc")).isInstanceOf(CopyUpOutcome.Copied.class);
            volumes.release("mem", CTR);
        } finally {
            Mounts.unmountAllUnder(tmp);
        }
    }

    @Test
    void attacherCopiesUnlessNocopyCreatesVolumesAndBindSources() throws Exception {
        VolumeAttacher attacher = new VolumeAttacher(volumes);
        Path bindSource = tmp.resolve("made-by-v");
        List<MountSpec> mounts = List.of(
                MountSpecs.parseVolumeFlag("conf:/etc"),
                MountSpecs.parseVolumeFlag("conf2:/etc/app:nocopy"),
                MountSpecs.parseVolumeFlag("/home/app"),
                MountSpecs.parseVolumeFlag(bindSource + ":/srv:ro"),
                MountSpecs.parseTmpfsFlag("/run:size=1m"));

        VolumeAttacher.Attached a = attacher.attach(CTR, image, mounts);

        assertThat(a.copies().get("/etc")).isInstanceOf(CopyUpOutcome.Copied.class);
        assertThat(a.copies().get("/etc/app")).isEqualTo(new CopyUpOutcome.SkippedNoCopy());
        assertThat(a.copies().get("/home/app")).isEqualTo(new CopyUpOutcome.Copied(1));
        assertThat(volumes.mountSource("conf").resolve("passwd")).exists();
        assertThat(volumes.mountSource("conf2")).isEmptyDirectory();
        MountSpec.VolumeMount anon = (MountSpec.VolumeMount) a.mounts().get(2);
        assertThat(anon.name()).matches("[0-9a-f]{64}");
        assertThat(volumes.inspect(anon.name()).anonymous()).isTrue();
        assertThat(bindSource).isDirectory();
        assertThat(a.binds()).containsExactly(
                new RunSpec.BindMount(volumes.mountSource("conf"), "/etc", false),
                new RunSpec.BindMount(volumes.mountSource("conf2"), "/etc/app", false),
                new RunSpec.BindMount(volumes.mountSource(anon.name()), "/home/app", false),
                new RunSpec.BindMount(bindSource, "/srv", true));
        assertThat(a.tmpfs()).isEqualTo(Map.of("/run", "size=1m"));
        assertThat(volumes.users("conf")).containsExactly(CTR);

        assertThat(attacher.detach(CTR, a.mounts(), true)).containsExactly(anon.name());
        assertThat(volumes.list()).extracting(Volume::name).containsExactlyInAnyOrder("conf", "conf2");
        assertThat(volumes.users("conf")).isEmpty();
    }

    @Test
    void aFailedAttachLetsGoOfWhatItTook() {
        VolumeAttacher attacher = new VolumeAttacher(volumes);
        List<MountSpec> mounts = List.of(MountSpecs.parseVolumeFlag("kept:/data"), MountSpecs.parseVolumeFlag("/anon"),
                new MountSpec.Bind(tmp.resolve("vanished").toString(), "/x", false, null, false));
        assertThatThrownBy(() -> attacher.attach(CTR, image, mounts))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid mount config for type \"bind\": bind source path does not exist: " + tmp.resolve("vanished"));
        assertThat(volumes.list()).as("the volumes it made are gone again").isEmpty();
    }
}
