package dev.berth.engine.runtime;

import dev.berth.engine.errors.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one helper-command runner, with real child processes ({@code sh}, {@code sleep}, {@code head}). */
class CommandsTest {

    @TempDir
    Path dir;

    @Test
    void aChildHoldingItsOutputOpenPastTheLimitIsKilledAndTheErrorNamesCommandAndLimit() throws Exception {
        Path pidFile = dir.resolve("pid");
        List<String> cmd = List.of("sh", "-c", "echo $$ > " + pidFile + "; echo started; exec sleep 30");
        long start = System.nanoTime();

        assertThatThrownBy(() -> Commands.run(cmd, Duration.ofSeconds(1)))
                .isInstanceOf(EngineException.Unavailable.class)
                .hasMessageContaining("sleep 30")
                .hasMessageContaining("did not finish within 1 s");

        // bounded by the limit plus the kill, not by the child's 30 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(goneWithin(pid, Duration.ofSeconds(5))).as("child %d is gone", pid).isTrue();
    }

    @Test
    void theProcessesTheCommandStartedAreKilledWithItOnTimeout() throws Exception {
        Path shPid = dir.resolve("sh.pid");
        Path sleepPid = dir.resolve("sleep.pid");
        // sh forks sleep (which inherits stdout) and waits for it
        List<String> cmd = List.of("sh", "-c", "echo $$ > " + shPid + "; sleep 30 & echo $! > " + sleepPid + "; wait");
        long sleeper = -1;
        try {
            assertThatThrownBy(() -> Commands.runMerged(cmd, Duration.ofSeconds(1)))
                    .isInstanceOf(EngineException.Unavailable.class)
                    .hasMessageContaining("did not finish within 1 s");
            sleeper = Long.parseLong(Files.readString(sleepPid).strip());
            assertThat(goneWithin(Long.parseLong(Files.readString(shPid).strip()), Duration.ofSeconds(5))).isTrue();
            assertThat(goneWithin(sleeper, Duration.ofSeconds(5))).as("grandchild %d is gone", sleeper).isTrue();
        } finally {
            killIfAlive(sleeper);
        }
    }

    @Test
    void aGrandchildLeftHoldingTheOutputDoesNotHoldTheCallerOnceTheCommandExited() throws Exception {
        Path sleepPid = dir.resolve("sleep.pid");
        // setsid: the sleeper leaves the command's process tree, as a daemonizing helper would
        List<String> cmd = List.of("sh", "-c", "setsid sleep 30 & echo $! > " + sleepPid + "; echo done; exit 3");
        long start = System.nanoTime();
        try {
            Commands.Result r = Commands.run(cmd, Duration.ofSeconds(20));

            assertThat(r.exit()).isEqualTo(3);
            assertThat(r.out()).isEqualTo("done\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            killIfAlive(Long.parseLong(Files.readString(sleepPid).strip()));
        }
    }

    @Test
    void stdoutAndStderrAreKeptApartOrMergedAsAsked() {
        List<String> cmd = List.of("sh", "-c", "echo out; echo err >&2; exit 2");

        Commands.Result apart = Commands.run(cmd, Duration.ofSeconds(10));
        assertThat(apart.exit()).isEqualTo(2);
        assertThat(apart.out()).isEqualTo("out\n");
        assertThat(apart.err()).isEqualTo("err\n");

        Commands.Result merged = Commands.runMerged(cmd, Duration.ofSeconds(10));
        assertThat(merged.out()).contains("out\n").contains("err\n");
        assertThat(merged.stderr()).isEmpty();
    }

    @Test
    void bothStreamsBeyondAPipeBufferAreReadWhileTheCommandRuns() {
        // 1 MB on each stream: a runner reading one stream to its end first would deadlock on the other
        Commands.Result r = Commands.run(List.of("sh", "-c", "head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2"),
                Duration.ofSeconds(20));

        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).hasSize(1_000_000);
        assertThat(r.stderr()).hasSize(1_000_000);
    }

    @Test
    void outputBeyondTheCapIsDroppedAndTheCommandStillFinishes() {
        Commands.Result r = Commands.run(List.of("head", "-c", String.valueOf(Commands.MAX_OUTPUT + 1_000_000), "/dev/zero"),
                Duration.ofSeconds(30));

        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).hasSize(Commands.MAX_OUTPUT);
    }

    @Test
    void aMissingBinaryIsAClearError() {
        assertThatThrownBy(() -> Commands.run(List.of(dir.resolve("no-such-tool").toString()), Duration.ofSeconds(5)))
                .isInstanceOf(EngineException.Unavailable.class)
                .hasMessageContaining("cannot run " + dir.resolve("no-such-tool"));
    }

    /** True once the pid no longer names a live process (gone, or a zombie awaiting its reaper). */
    private static boolean goneWithin(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        do {
            if (!alive(pid)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static void killIfAlive(long pid) {
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
