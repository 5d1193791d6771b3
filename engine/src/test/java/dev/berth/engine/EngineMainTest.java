package dev.berth.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code berth engine} as a user runs it: a real process, a real socket, SIGTERM to stop.
 * A second engine on the same state root must exit at once and name the first one's socket.
 */
class EngineMainTest {

    @TempDir
    Path tmp;

    private static ProcessBuilder engine(Path root, Path socket, Path out) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EngineMain.class.getName(), "--root", root.toString(), "--socket", socket.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
    }

    @Test
    void secondEngineOnTheSameRootIsRefusedAndTheFirstStopsCleanlyOnSigterm() throws Exception {
        Path root = tmp.resolve("root");
        Path socket = tmp.resolve("run/berth.sock");
        Path otherSocket = tmp.resolve("run/other.sock");
        Process first = engine(root, socket, tmp.resolve("first.log")).start();
        try {
            waitFor(() -> Files.exists(socket), first, tmp.resolve("first.log"));

            Process second = engine(root, otherSocket, tmp.resolve("second.log")).start();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String secondOut = Files.readString(tmp.resolve("second.log"), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).as(secondOut).isEqualTo(1);
            assertThat(secondOut.strip().lines().toList()).as("one line, no stack trace").hasSize(1);
            assertThat(secondOut).contains("already in use").contains("unix://" + socket);
            assertThat(otherSocket).doesNotExist();
            assertThat(first.isAlive()).isTrue();

            first.destroy(); // SIGTERM
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(Files.readString(tmp.resolve("first.log"))).isZero();
            assertThat(socket).as("socket removed on stop").doesNotExist();
            assertThat(root.resolve("engine.json")).doesNotExist();
        } finally {
            first.destroyForcibly();
        }
    }

    @Test
    void unknownOptionIsAOneLineError() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EngineMain.class.getName(), "--bogus")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out.strip()).isEqualTo("berth engine: unknown option --bogus (try --help)");
    }

    interface Check { boolean ok() throws IOException; }

    private static void waitFor(Check check, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (!p.isAlive()) {
                throw new AssertionError("engine exited early: " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("engine did not come up: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }
}
