package dev.berth.testkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TempEngineTest {

    @Test
    void engineRunsOnATempRootThatCloseDeletes() {
        Path root;
        try (TempEngine t = TempEngine.start()) {
            root = t.root();
            assertThat(t.engine().system().info().engineId()).isNotBlank();
            assertThat(root.resolve("engine.lock")).exists();
        }
        assertThat(Files.exists(root)).isFalse();
    }

    @Test
    @RootOnly
    void closeUnmountsWhatATestLeftUnderTheRoot() throws Exception {
        Path mountPoint;
        try (TempEngine t = TempEngine.start()) {
            mountPoint = t.root().resolve("leftover/mnt");
            Files.createDirectories(mountPoint);
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "berth-test", mountPoint.toString())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            Files.writeString(mountPoint.resolve("file"), "x");
            assertThat(Mounts.mountPointsUnder(t.root())).containsExactly(mountPoint);
        }
        assertThat(Mounts.mountPointsUnder(mountPoint)).isEmpty();
        assertThat(Files.exists(mountPoint)).isFalse();
    }

    @Test
    void mountInfoEscapesAreDecoded() {
        assertThat(Mounts.unescape("/tmp/a\\040b\\011c\\134d")).isEqualTo("/tmp/a b\tc\\d");
        assertThat(Mounts.unescape("/plain")).isEqualTo("/plain");
    }

    @Test
    void rootOnlyFailsLoudlyForOtherUsers() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RootOnlyExtension.requireRoot("mountsOverlay()", 1000))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("mountsOverlay() needs root")
                .hasMessageContaining("uid 1000")
                .hasMessageContaining("run the tests as root");
        RootOnlyExtension.requireRoot("asRoot()", 0); // does not throw
    }

    @Test
    void effectiveUidMatchesTheIdCommand() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        String uid = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(RootOnlyExtension.effectiveUid()).isEqualTo(Long.parseLong(uid));
    }
}
