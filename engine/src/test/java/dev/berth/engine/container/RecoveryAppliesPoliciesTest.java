package dev.berth.engine.container;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.runtime.LogReader;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Containers that end while no engine runs (it was closed; they belong to conmon) get their
 * policies applied by the next engine: {@code --rm} ones are removed, {@code on-failure} ones
 * restarted, {@code no} ones left exited. Needs root.
 */
@RootOnly
class RecoveryAppliesPoliciesTest {

    @TempDir
    Path dir;

    @Test
    void nextEngineRemovesAutoRemoveContainersAndRestartsOnFailureOnes() throws Exception {
        EngineConfig config = new EngineConfig(dir.resolve("root"), dir.resolve("berth.sock"));
        String retried;
        String removed;
        String plain;
        try (Engine first = Engine.start(config)) {
            LocalImages.busybox(first, dir.resolve("image"), "busybox:latest");
            ContainerService svc = first.containers();
            retried = svc.start(svc.create(CreateRequest.builder("busybox").cmd("sh", "-c", "echo run; sleep 1; exit 3")
                    .restartPolicy(RestartPolicy.onFailure(1)).build()).id()).id();
            removed = svc.start(svc.create(CreateRequest.builder("busybox").cmd("sh", "-c", "sleep 1")
                    .autoRemove(true).build()).id()).id();
            plain = svc.start(svc.create(CreateRequest.builder("busybox").cmd("sh", "-c", "sleep 1; exit 4")
                    .build()).id()).id();
        }
        Engine second = null;
        try {
            for (String id : new String[]{retried, removed, plain}) {
                Path exitFile = config.root().resolve("runtime/exits").resolve(id);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!Files.exists(exitFile) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(exitFile).exists();
            }
            second = Engine.start(config);
            ContainerService svc = second.containers();
            assertThat(svc.list(ContainerFilter.ALL)).extracting(Container::id).containsExactlyInAnyOrder(retried, plain);
            assertThat(config.root().resolve("containers").resolve(removed)).doesNotExist();
            assertThat(svc.inspect(plain).state().status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(svc.inspect(plain).state().exitCode()).isEqualTo(4);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Container c = svc.inspect(retried);
            while (!(c.state().restartCount() == 1 && c.state().status() == ContainerStatus.EXITED)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
                c = svc.inspect(retried);
            }
            assertThat(c.state().restartCount()).isEqualTo(1);
            assertThat(c.state().exitCode()).isEqualTo(3);
            assertThat(svc.logs(retried, ContainerService.LogOptions.ALL).stream().map(LogReader.Entry::text)
                    .collect(Collectors.joining())).isEqualTo("run\nrun\n");
        } finally {
            if (second == null) {
                second = Engine.start(config);
            }
            for (Container c : second.containers().list(ContainerFilter.ALL)) {
                second.containers().remove(c.id(), true, false);
            }
            second.close();
            assertThat(Mounts.mountPointsUnder(dir)).isEmpty();
        }
        for (String id : new String[]{retried, removed, plain}) {
            assertThat(ContainerFixture.conmonsFor(id)).isEmpty();
        }
    }
}
