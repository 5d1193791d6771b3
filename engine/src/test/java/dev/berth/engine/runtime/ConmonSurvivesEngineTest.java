package dev.berth.engine.runtime;

import dev.berth.engine.runtime.spec.Cgroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine can die (kill -9) without taking its containers along: conmon holds them, keeps
 * logging, and records the exit code. Runs the "engine" as a separate JVM. Needs root.
 */
class ConmonSurvivesEngineTest {

    @TempDir
    Path dir;

    @Test
    void containerKeepsRunningAndLoggingAfterTheEngineIsKilledAndItsExitCodeIsRecorded() throws Exception {
        HostTools tools = new RuntimeDetector(dir.resolve("probe")).detect();
        Path root = dir.resolve("rt");
        Path rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
        Path bundle = dir.resolve("bundle");
        Path log = dir.resolve("ctr.log");
        String id = ContainerHarness.newId();
        OciRuntime runtime = new OciRuntime(Path.of(tools.runtime().orElseThrow().path()),
                Path.of(tools.conmon().orElseThrow().path()), root, Cgroups.host());

        Process engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EngineProcessMain.class.getName(), root.toString(), rootfs.toString(), bundle.toString(), log.toString(), id,
                tools.runtime().orElseThrow().path(), tools.conmon().orElseThrow().path())
                .redirectError(dir.resolve("engine.err").toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> started = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (Exception e) {
                    return "failed: " + e;
                }
            });
            String line = started.get(60, TimeUnit.SECONDS);
            assertThat(line).as("engine said: %s / %s", line, Files.exists(dir.resolve("engine.err"))
                    ? Files.readString(dir.resolve("engine.err")) : "").startsWith("STARTED ");
            long conmonPid = Long.parseLong(line.split(" ")[2]);

            long containerPid = Long.parseLong(line.split(" ")[1]);
            // neither conmon nor the container holds the engine's stdio pipes (or they would tie them to the engine)
            List<String> enginePipes = fdTargets(engine.pid()).stream().filter(t -> t.startsWith("pipe:")).toList();
            assertThat(enginePipes).isNotEmpty();
            assertThat(fdTargets(conmonPid)).doesNotContainAnyElementsOf(enginePipes);
            assertThat(fdTargets(containerPid)).doesNotContainAnyElementsOf(enginePipes);

            engine.destroyForcibly(); // SIGKILL, by pid
            assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(runtime.state(id).status()).isEqualTo(OciRuntime.Status.RUNNING);
            assertThat(OciRuntime.isAlive(conmonPid)).isTrue();
            assertThat(runtime.conmonPid(id)).hasValue(conmonPid);
            // conmon still collects output: the log keeps growing after the engine's death
            int before = LogReader.read(log, LogReader.Query.ALL).size();
            awaitMoreLogEntries(log, before + 3);

            runtime.kill(id, "KILL");
            assertThat(runtime.waitForExit(id, Duration.ofSeconds(20))).hasValue(137);
            assertThat(Files.readString(runtime.exitFile(id)).strip()).isEqualTo("137");
            assertThat(LogReader.read(log, LogReader.Query.ALL)).allMatch(e -> e.text().equals("tick\n"));
        } finally {
            if (engine.isAlive()) {
                engine.destroyForcibly();
            }
            OptionalLong conmon = OciRuntime.readPid(bundle.resolve(Conmon.CONMON_PIDFILE));
            runtime.delete(id, true);
            if (conmon.isPresent() && OciRuntime.isAlive(conmon.getAsLong())) {
                ProcessHandle.of(conmon.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
            }
            Cgroups.host().remove(Cgroups.containerPath(id));
        }
        assertThat(Cgroups.host().existingDirs(Cgroups.containerPath(id))).isEmpty();
    }

    /** What each open descriptor of {@code pid} points to ({@code pipe:[123]}, a path, ...). */
    private static List<String> fdTargets(long pid) throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (java.io.IOException e) {
                    return "";
                }
            }).toList();
        }
    }

    private static void awaitMoreLogEntries(Path log, int atLeast) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            List<LogReader.Entry> entries = LogReader.read(log, LogReader.Query.ALL);
            if (entries.size() >= atLeast) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the log stopped growing at " + LogReader.read(log, LogReader.Query.ALL).size() + " entries");
    }
}
