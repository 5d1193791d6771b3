package dev.berth.engine.container;

import dev.berth.engine.Engine;
import dev.berth.engine.EngineConfig;
import dev.berth.testkit.LocalImages;
import dev.berth.testkit.Mounts;
import dev.berth.testkit.RootOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A created container is one durable write (its config); its state file appears with its first
 * start. Across an engine restart it is still created, and it starts and runs to its exit code.
 */
@RootOnly
class CreatedContainerStateTest {

    @TempDir
    Path dir;

    @Test
    void aCreatedContainerHasNoStateFileAndIsStillCreatedAfterAnEngineRestart() throws Exception {
        EngineConfig config = new EngineConfig(dir.resolve("root"), dir.resolve("berth.sock"));
        Path cdir;
        try (Engine first = Engine.start(config)) {
            LocalImages.busybox(first, dir.resolve("image"), "busybox:latest");
            Container c = first.containers().create(CreateRequest.builder("busybox").name("later")
                    .cmd("sh", "-c", "exit 4").build());
            cdir = config.root().resolve("containers").resolve(c.id());
            assertThat(cdir.resolve("config.json")).isRegularFile();
            assertThat(cdir.resolve("state.json")).doesNotExist();
        }
        try (Engine again = Engine.start(config)) {
            ContainerService svc = again.containers();
            assertThat(svc.inspect("later").state().status()).isEqualTo(ContainerStatus.CREATED);
            svc.start("later");
            assertThat(cdir.resolve("state.json")).isRegularFile();
            assertThat(svc.wait("later", ContainerService.WaitCondition.NOT_RUNNING, Duration.ofSeconds(30))).isEqualTo(4);
            assertThat(svc.inspect("later").state().status()).isEqualTo(ContainerStatus.EXITED);
            svc.remove("later", false, false);
            assertThat(cdir).doesNotExist();
            assertThat(Mounts.mountPointsUnder(config.root())).isEmpty();
        }
    }
}
