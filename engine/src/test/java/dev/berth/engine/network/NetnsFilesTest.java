package dev.berth.engine.network;

import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Namespace files on the real kernel (a namespace of the test's own, in a temp dir; no host-wide state). */
@RootOnly
class NetnsFilesTest {

    @TempDir
    Path dir;

    @Test
    void aCreatedNamespaceIsMountedWithLoopbackUpAndRemovalUnmountsAndDeletesIt() {
        Path file = dir.resolve("ns1");
        try {
            NetnsFiles.create(file);

            assertThat(NetnsFiles.isMounted(file)).isTrue();
            NetHost.Result lo = NetHost.run(List.of("nsenter", "--net=" + file, "ip", "link", "show", "lo"), 10);
            assertThat(lo.exit()).isZero();
            assertThat(lo.out()).contains("UP");
        } finally {
            NetnsFiles.remove(file);
        }
        assertThat(NetnsFiles.isMounted(file)).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFailingHelperCommandIsReportedWithItsOutputAndLeavesNoNamespaceBehind() {
        Path file = dir.resolve("ns2");
        String tooLong = "x".repeat(20); // interface names are at most 15 bytes

        assertThatThrownBy(() -> NetnsFiles.createScratch(file, List.of(tooLong)))
                .isInstanceOf(EngineException.Unavailable.class)
                .hasMessageStartingWith("cannot add stand-in interface " + tooLong + " in " + file + ": ")
                .hasMessageContaining("Error"); // ip's own words follow
        assertThat(NetnsFiles.isMounted(file)).isFalse();
        assertThat(Files.exists(file)).isFalse();
    }
}
