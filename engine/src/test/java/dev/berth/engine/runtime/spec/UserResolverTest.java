package dev.berth.engine.runtime.spec;

import dev.berth.engine.errors.EngineException;
import dev.berth.engine.runtime.BusyboxRootfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker's --user rules against the image's own passwd and group files. */
class UserResolverTest {

    @TempDir
    Path dir;

    Path rootfs;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
    }

    @Test
    void nameGivesItsIdsHomeAndGroupMemberships() {
        assertThat(UserResolver.resolve(rootfs, "app"))
                .isEqualTo(new UserResolver.ExecUser(1000, 1000, List.of(1000L, 29L, 44L), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, null))
                .isEqualTo(new UserResolver.ExecUser(0, 0, List.of(0L, 10L), "/root"));
    }

    @Test
    void explicitGroupReplacesMembershipsByNameOrNumber() {
        assertThat(UserResolver.resolve(rootfs, "app:video")).isEqualTo(new UserResolver.ExecUser(1000, 44, List.of(44L), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, "1000:1000")).isEqualTo(new UserResolver.ExecUser(1000, 1000, List.of(1000L), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, "1000:5555")).isEqualTo(new UserResolver.ExecUser(1000, 5555, List.of(5555L), "/home/app"));
    }

    @Test
    void numbersNotInPasswdAreUsedAsIs() {
        assertThat(UserResolver.resolve(rootfs, "4242")).isEqualTo(new UserResolver.ExecUser(4242, 0, List.of(0L), "/"));
    }

    @Test
    void unknownNamesAreRefusedWithDockersMessages() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app2"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("unable to find user app2: no matching entries in passwd file");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app:staff"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("unable to find group staff: no matching entries in group file");
    }

    @Test
    void withoutPasswdOnlyNumbersWork() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        assertThat(UserResolver.resolve(rootfs, "1000").uid()).isEqualTo(1000);
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app"))
                .hasMessage("unable to find user app: no matching entries in passwd file");
    }

    @Test
    void anAbsoluteSymlinkIsResolvedInsideTheRootfsNeverOnTheHost() throws IOException {
        String name = "berth-passwd-" + UUID.randomUUID();
        Path hostFile = Path.of("/tmp", name);
        Files.writeString(hostFile, "hostonly:x:4242:4242::/:/bin/sh\n");
        try {
            Files.writeString(rootfs.resolve("tmp").resolve(name), "inside:x:1234:1234::/in:/bin/sh\n");
            Files.delete(rootfs.resolve("etc/passwd"));
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), hostFile); // absolute: /tmp/<name>
            assertThat(UserResolver.resolve(rootfs, "inside").uid()).isEqualTo(1234);
            assertThatThrownBy(() -> UserResolver.resolve(rootfs, "hostonly")).isInstanceOf(EngineException.InvalidArgument.class);

            // a relative link climbing above the root stops at the root
            Files.delete(rootfs.resolve("etc/passwd"));
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../../../tmp/" + name));
            assertThat(UserResolver.resolve(rootfs, "inside").uid()).isEqualTo(1234);
        } finally {
            Files.deleteIfExists(hostFile);
        }
    }

    @Test
    void aFifoInsteadOfPasswdIsRefusedNotWaitedOn() throws Exception {
        Files.delete(rootfs.resolve("etc/passwd"));
        Process mkfifo = new ProcessBuilder("mkfifo", rootfs.resolve("etc/passwd").toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("/etc/passwd in the container is not a regular file");
    }

    @Test
    void symlinkLoopsEndWithAnError() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("too many levels of symbolic links");
    }
}
