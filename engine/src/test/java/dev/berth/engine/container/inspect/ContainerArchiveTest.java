package dev.berth.engine.container.inspect;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.BusyboxRootfs;
import dev.berth.engine.runtime.ContainerHarness;
import dev.berth.engine.runtime.OciRuntime;
import dev.berth.engine.runtime.spec.RunSpec;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code docker cp} and {@code docker export} against a real running container (runc) whose
 * root holds hostile links: {@code /evil -> /} and {@code /evil2 -> ../../../../etc}. Every read
 * and write must land in the container's tree, seen from the host-side rootfs directory and
 * from {@code /proc/<pid>/root}.
 */
@RootOnly
class ContainerArchiveTest {

    @TempDir
    static Path dir;

    static ContainerHarness h;
    static Path rootfs;
    static Path procRoot;
    static String containerPasswd;

    @BeforeAll
    static void startContainer() throws Exception {
        h = new ContainerHarness(dir);
        rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of("/"));
        Files.createSymbolicLink(rootfs.resolve("evil2"), Path.of("../../../../etc"));
        Files.writeString(rootfs.resolve("tmp/hard-a"), "shared");
        Files.createLink(rootfs.resolve("tmp/hard-b"), rootfs.resolve("tmp/hard-a"));
        containerPasswd = Files.readString(rootfs.resolve("etc/passwd"));
        assertThat(containerPasswd).isNotEqualTo(Files.readString(Path.of("/etc/passwd")));
        ContainerHarness.Ctr c = h.create(ContainerHarness.newId(), rootfs, RunSpec.builder(List.of("sleep", "100")).build(), 0);
        h.runtime().start(c.id());
        OciRuntime.State s = h.runtime().state(c.id());
        procRoot = Path.of("/proc/" + s.pid() + "/root");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static byte[] archive(Path root, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerArchive.archive(root, path, out);
        return out.toByteArray();
    }

    @Test
    void copyOutThroughARelativeLinkThatClimbsPastTheRootReadsTheContainersPasswd() {
        for (Path root : List.of(rootfs, procRoot)) {
            Map<String, Tars.Read> tar = Tars.read(archive(root, "/evil2/passwd"));
            assertThat(tar).containsOnlyKeys("passwd");
            assertThat(tar.get("passwd").text()).isEqualTo(containerPasswd);
        }
        // and through the absolute link to "/", with dot-dots that try to climb out
        assertThat(Tars.read(archive(rootfs, "/evil/../../../evil/etc/passwd")).get("passwd").text()).isEqualTo(containerPasswd);
    }

    @Test
    void statOfALinkNamesItsTargetInsideTheContainer() {
        ContainerArchive.PathStat evil2 = ContainerArchive.stat(procRoot, "/evil2");
        assertThat(evil2.name()).isEqualTo("evil2");
        assertThat(evil2.isSymlink()).isTrue();
        assertThat(evil2.linkTarget()).isEqualTo("/etc");
        assertThat(ContainerArchive.stat(rootfs, "/evil").linkTarget()).isEqualTo("/");

        ContainerArchive.PathStat passwd = ContainerArchive.stat(rootfs, "/evil2/passwd");
        assertThat(passwd.size()).isEqualTo(containerPasswd.length());
        assertThat(passwd.mode()).isEqualTo(0644L);
        String json = new String(Base64.getDecoder().decode(passwd.header()), StandardCharsets.UTF_8);
        assertThat(json).contains("\"name\":\"passwd\"", "\"size\":" + containerPasswd.length(), "\"mode\":420", "\"linkTarget\":\"\"");

        assertThat(ContainerArchive.stat(rootfs, "/tmp").mode()).isEqualTo(ContainerArchive.MODE_DIR | 0777 | ContainerArchive.MODE_STICKY);
        assertThatThrownBy(() -> ContainerArchive.stat(rootfs, "/evil/no-such-file"))
                .isInstanceOf(EngineException.NotFound.class).hasMessageContaining("/evil/no-such-file");
    }

    @Test
    void copyOutOfADirectoryNamesEntriesFromItsLastComponentAndKeepsLinksAsLinks() {
        Map<String, Tars.Read> etc = Tars.read(archive(procRoot, "/etc"));
        assertThat(etc).containsOnlyKeys("etc/", "etc/group", "etc/passwd");

        Map<String, Tars.Read> top = Tars.read(archive(rootfs, "/evil"));
        assertThat(top).containsOnlyKeys("evil");
        assertThat(top.get("evil").header().isSymbolicLink()).isTrue();
        assertThat(top.get("evil").header().getLinkName()).isEqualTo("/");

        // a trailing slash follows the link: the container's root, hard links kept as links
        Map<String, Tars.Read> tmp = Tars.read(archive(rootfs, "/evil2/../tmp/"));
        assertThat(tmp.get("tmp/hard-a").text()).isEqualTo("shared");
        assertThat(tmp.get("tmp/hard-b").header().isLink()).isTrue();
        assertThat(tmp.get("tmp/hard-b").header().getLinkName()).isEqualTo("tmp/hard-a");
    }

    @Test
    void copyOutOfARunningContainersRootDoesNotDescendIntoProc() {
        Map<String, Tars.Read> all = Tars.read(archive(procRoot, "/"));
        assertThat(all).containsKeys("./", "./bin/busybox", "./proc/", "./etc/passwd", "./dev/");
        assertThat(all.keySet()).noneMatch(n -> n.startsWith("./proc/") && !n.equals("./proc/"));
        assertThat(all.keySet()).noneMatch(n -> n.startsWith("./sys/") && !n.equals("./sys/"));
    }

    @Test
    void copyInThroughALinkToTheRootWritesInsideTheContainerAndNothingOnTheHost() throws Exception {
        String name = "berth-cp-canary-" + UUID.randomUUID();
        assertThat(Path.of("/tmp", name)).doesNotExist();
        long n = ContainerArchive.extract(procRoot, "/evil/tmp", new Tars().file(name, "inside").stream(), ContainerArchive.ExtractOptions.DEFAULT);

        assertThat(n).isEqualTo(1);
        assertThat(rootfs.resolve("tmp").resolve(name)).hasContent("inside");
        assertThat(Path.of("/tmp", name)).doesNotExist();
        // the container sees it
        OciRuntime.ExecResult r = h.runtime().exec(h.runtime().list().getFirst().id(), OciRuntime.ExecRequest.of("cat", "/tmp/" + name));
        assertThat(r.stdoutText()).isEqualTo("inside");
    }

    @Test
    void entriesThatWalkThroughALinkTheyPlantedStayInsideTheContainer() throws Exception {
        String name = "berth-cp-canary-" + UUID.randomUUID();
        Path work = Files.createDirectories(rootfs.resolve("work-" + name));
        ContainerArchive.extract(rootfs, "/work-" + name, new Tars()
                .symlink("up", "/")
                .symlink("up2", "../../../../../../../../tmp")
                .file("up/tmp/" + name, "one")
                .file("up2/" + name + "-2", "two").stream(), ContainerArchive.ExtractOptions.DEFAULT);

        assertThat(Files.isSymbolicLink(work.resolve("up"))).isTrue();
        assertThat(rootfs.resolve("tmp/" + name)).hasContent("one");
        assertThat(rootfs.resolve("tmp/" + name + "-2")).hasContent("two");
        assertThat(Path.of("/tmp", name)).doesNotExist();
        assertThat(Path.of("/tmp", name + "-2")).doesNotExist();
    }

    @Test
    void entriesThatClimbOutOfTheTargetDirectoryAreRefused() throws Exception {
        String name = "berth-cp-canary-" + UUID.randomUUID();
        Files.createDirectories(rootfs.resolve("home/app/deep"));
        assertThatThrownBy(() -> ContainerArchive.extract(rootfs, "/home/app/deep",
                new Tars().file("../../../../../../tmp/" + name, "escape").stream(), ContainerArchive.ExtractOptions.DEFAULT))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("../../../../../../tmp/" + name).hasMessageContaining("outside /home/app/deep");
        assertThat(Path.of("/tmp", name)).doesNotExist();
        assertThat(rootfs.resolve("tmp/" + name)).doesNotExist();

        assertThatThrownBy(() -> ContainerArchive.extract(rootfs, "/home/app/deep",
                new Tars().file("f", "x").hardlink("h", "../../../../etc/passwd").stream(), ContainerArchive.ExtractOptions.DEFAULT))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("outside");
    }

    @Test
    void extractionPointMustBeAnExistingDirectory() {
        assertThatThrownBy(() -> ContainerArchive.extract(rootfs, "/etc/passwd", new Tars().file("x", "x").stream(),
                ContainerArchive.ExtractOptions.DEFAULT))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ContainerArchive.extract(rootfs, "/nope", new Tars().file("x", "x").stream(),
                ContainerArchive.ExtractOptions.DEFAULT))
                .isInstanceOf(EngineException.NotFound.class).hasMessageContaining("/nope");
    }

    @Test
    void noOverwriteDirNonDirRefusesToReplaceADirectoryWithAFile() throws Exception {
        Files.createDirectories(rootfs.resolve("root/keep/sub"));
        ContainerArchive.ExtractOptions strict = new ContainerArchive.ExtractOptions(true, OptionalLong.empty(), OptionalLong.empty());
        assertThatThrownBy(() -> ContainerArchive.extract(rootfs, "/root/keep", new Tars().file("sub", "x").stream(), strict))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("cannot overwrite directory \"/root/keep/sub\" with non-directory \"sub\"");
        assertThat(rootfs.resolve("root/keep/sub")).isDirectory();
        // without the flag, the directory is replaced
        ContainerArchive.extract(rootfs, "/root/keep", new Tars().file("sub", "x").stream(), ContainerArchive.ExtractOptions.DEFAULT);
        assertThat(rootfs.resolve("root/keep/sub")).isRegularFile().hasContent("x");
    }

    @Test
    void ownersComeFromTheTarOrFromTheContainersUserWithCopyUidGid() throws Exception {
        Files.createDirectories(rootfs.resolve("home/app/own"));
        ContainerArchive.extract(rootfs, "/home/app/own", new Tars().file("t", "x", 0640, 4242, 4343).stream(),
                ContainerArchive.ExtractOptions.DEFAULT);
        assertThat(Files.getAttribute(rootfs.resolve("home/app/own/t"), "unix:uid")).isEqualTo(4242);
        assertThat(Files.getAttribute(rootfs.resolve("home/app/own/t"), "unix:gid")).isEqualTo(4343);
        assertThat(Files.getAttribute(rootfs.resolve("home/app/own/t"), "unix:mode")).isEqualTo(0100640);

        ContainerArchive.extract(rootfs, "/home/app/own", new Tars().dir("d").file("d/u", "x", 0600, 4242, 4343).stream(),
                ContainerArchive.ExtractOptions.copyUidGid(rootfs, "app", false));
        assertThat(Files.getAttribute(rootfs.resolve("home/app/own/d/u"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(rootfs.resolve("home/app/own/d"), "unix:gid")).isEqualTo(1000);
    }

    @Test
    void exportHoldsTheWholeTreeButNotTheKernelsFilesystems() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RootfsExport.export(procRoot, out);
        Map<String, Tars.Read> all = Tars.read(out.toByteArray());
        assertThat(all).containsKeys("bin/", "bin/busybox", "etc/passwd", "proc/", "sys/", "dev/", "evil", "evil2");
        assertThat(all.get("evil").header().getLinkName()).isEqualTo("/");
        assertThat(all.get("evil2").header().getLinkName()).isEqualTo("../../../../etc");
        assertThat(all.get("etc/passwd").text()).isEqualTo(containerPasswd);
        assertThat(all.keySet()).noneMatch(n -> n.matches("(proc|sys|dev)/.+"));
        assertThat(all.keySet()).noneMatch(n -> n.startsWith("/") || n.startsWith("./"));
    }
}
