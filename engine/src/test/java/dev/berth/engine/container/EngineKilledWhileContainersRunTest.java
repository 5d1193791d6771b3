package dev.berth.engine.container;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.runtime.LogReader;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import dev.berth.testkit.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine killed with SIGKILL leaves its containers to conmon; the next engine on the same
 * root finds them: the running one is running (logs continue, stop works), the one that exited
 * while no engine ran is exited with its exit code. Runs the first engine as a separate JVM.
 */
@RootOnly
class EngineKilledWhileContainersRunTest {

    @TempDir
    Path dir;

    @Test
    void nextEngineFindsTheRunningContainerAndTheExitCodeOfTheOneThatEnded() throws Exception {
        Path root = dir.resolve("root");
        Path socket = dir.resolve("berth.sock");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashedEngineMain.class.getName(), root.toString(), socket.toString(), dir.resolve("image").toString())
                .redirectError(dir.resolve("engine.err").toFile())
                .start();
        String longId = null;
        String shortId = null;
        Engine second = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (Exception e) {
                    return "failed: " + e;
                }
            }).get(90, TimeUnit.SECONDS);
            assertThat(line).as("first engine said %s; stderr: %s", line, Files.readString(dir.resolve("engine.err")))
                    .startsWith("STARTED ");
            longId = line.split(" ")[1];
            shortId = line.split(" ")[2];

            first.destroyForcibly(); // SIGKILL, by pid
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // let the short one end while no engine runs: conmon records its exit code
            Path exitFile = root.resolve("runtime").resolve("exits").resolve(shortId);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(exitFile) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(exitFile).exists();

            second = Engine.start(new EngineConfig(root, socket));
            ContainerService svc = second.containers();

            Container shrt = svc.inspect("short");
            assertThat(shrt.state().status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(shrt.state().exitCode()).isEqualTo(5);
            assertThat(Mounts.mountPointsUnder(shrt.paths().rootfs())).as("the ended container is unmounted").isEmpty();
            assertThat(svc.logs("short", ContainerService.LogOptions.ALL)).extracting(LogReader.Entry::text)
                    .containsExactly("short\n");
            assertThat(second.events().recent()).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("die");
                assertThat(e.actorId()).isEqualTo(shrt.id());
                assertThat(e.attributes()).containsEntry("exitCode", "5");
            });

            Container lng = svc.inspect("long");
            assertThat(lng.state().status()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(lng.state().pid()).isPositive();
            int before = svc.logs("long", ContainerService.LogOptions.ALL).size();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (svc.logs("long", ContainerService.LogOptions.ALL).size() < before + 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(svc.logs("long", ContainerService.LogOptions.ALL).size()).as("logs continue").isGreaterThanOrEqualTo(before + 3);
            assertThat(second.system().info().containersRunning()).isEqualTo(1);

            Container stopped = svc.stop("long", Duration.ofSeconds(1));
            assertThat(stopped.state().status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(stopped.state().exitCode()).isEqualTo(137); // sh as PID 1 ignores SIGTERM
            assertThat(ContainerFixture.conmonsFor(longId)).isEmpty();

            svc.remove("long", true, false);
            svc.remove("short", true, false);
            assertThat(Mounts.mountPointsUnder(root)).isEmpty();
            assertThat(svc.list(ContainerFilter.ALL)).isEmpty();
        } finally {
            if (first.isAlive()) {
                first.destroyForcibly();
                first.waitFor(30, TimeUnit.SECONDS);
            }
            if (second == null && Files.isDirectory(root.resolve("containers"))) {
                // the first engine left containers and no second engine took them over: remove them here
                try {
                    second = Engine.start(new EngineConfig(root, socket));
                } catch (RuntimeException e) {
                    System.err.println("cleanup: " + e.getMessage());
                }
            }
            if (second != null) {
                for (Container c : second.containers().list(ContainerFilter.ALL)) {
                    second.containers().remove(c.id(), true, false);
                }
                second.close();
            }
            Mounts.unmountAllUnder(dir);
        }
        for (String id : new String[]{longId, shortId}) {
            if (id != null) {
                assertThat(dev.berth.engine.runtime.spec.Cgroups.host()
                        .existingDirs(dev.berth.engine.runtime.spec.Cgroups.containerPath(id))).isEmpty();
                assertThat(ContainerFixture.conmonsFor(id)).isEmpty();
            }
        }
        TestFiles.deleteTree(dir.resolve("root"));
    }
}
