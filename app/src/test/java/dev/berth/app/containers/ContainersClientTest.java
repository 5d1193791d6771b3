package dev.berth.app.containers;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.engine.errors.EngineException;
import dev.berth.testkit.LocalImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The pane's client over the Docker API of a real embedded engine, with real runc containers. */
class ContainersClientTest {

    private static final String QUICK_TO_STOP = "sh -c 'trap \"exit 0\" TERM; while true; do sleep 1; done'";

    @TempDir
    Path tmp;

    private EmbeddedBackend backend;
    private ContainersClient client;

    @BeforeEach
    void start() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        LocalImages.busybox(backend.engine(), tmp.resolve("busybox"), "busybox:latest");
        client = new ContainersClient(backend.api());
    }

    @AfterEach
    void removeContainers() {
        try {
            var containers = backend.engine().containers();
            for (var c : containers.list(new ContainerFilter(true, null, null, null, null, null, null))) {
                containers.remove(c.id(), true, true);
            }
        } finally {
            backend.close();
        }
    }

    private String create(String name, String command) {
        RunRequest r = new RunRequest("busybox", name, command, List.of(), "", "", "no", "", false, false, false, List.of(), List.of(), "");
        return client.create(r.toCreateBody(), r.containerName());
    }

    @Test
    void listFindStopRestartAndPruneAsDockerDoes() throws InterruptedException {
        String web = create("web", QUICK_TO_STOP);
        String done = create("done", "true");
        client.start(web);
        client.start(done);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (client.find(done).orElseThrow().state() != ContainerState.EXITED) {
            assertThat(System.nanoTime()).as("done exits").isLessThan(deadline);
            Thread.sleep(50);
        }

        assertThat(client.list(false)).extracting(ContainerSummary::name).containsExactly("web");
        assertThat(client.list(true)).extracting(ContainerSummary::name).containsExactlyInAnyOrder("web", "done");
        ContainerSummary found = client.find(web).orElseThrow();
        assertThat(found.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(found.status()).startsWith("Up");
        assertThat(found.shortId()).isEqualTo(web.substring(0, 12));
        // the id filter matches prefixes; find wants the container itself
        assertThat(client.find(web.substring(0, 12))).isEmpty();

        StatsSample once = client.statsOnce(web);
        assertThat(once.hasCpu()).isTrue();
        assertThat(once.memoryUsage()).isPositive();
        assertThat(once.memoryLimit()).isGreaterThanOrEqualTo(once.memoryUsage());

        client.stop(web);
        assertThat(client.find(web).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
        client.restart(web);
        assertThat(client.find(web).orElseThrow().state()).isEqualTo(ContainerState.RUNNING);

        // docker kill -s: the trap turns SIGTERM into a clean exit
        client.kill(web, "SIGTERM");
        deadline = System.nanoTime() + 20_000_000_000L;
        while (client.find(web).orElseThrow().state() != ContainerState.EXITED) {
            assertThat(System.nanoTime()).as("web exits on SIGTERM").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(client.find(web).orElseThrow().status()).startsWith("Exited (0)");
        client.start(web);

        ContainersClient.PruneReport pruned = client.prune();
        assertThat(pruned.deleted()).containsExactly(done);
        assertThat(client.list(true)).extracting(ContainerSummary::id).containsExactly(web);
    }

    @Test
    void theEnginesRefusalsArriveAsItsErrorCategoriesWithItsMessage() {
        assertThatThrownBy(() -> client.start("no-such-container")).isInstanceOf(EngineException.NotFound.class)
                .hasMessageContaining("no-such-container");
        String web = create("web", QUICK_TO_STOP);
        assertThatThrownBy(() -> create("web", "true")).isInstanceOf(EngineException.Conflict.class).hasMessageContaining("web");
        assertThatThrownBy(() -> client.kill(web, null)).isInstanceOf(EngineException.Conflict.class)
                .hasMessageContaining("is not running");
        RunRequest missing = RunRequest.of("nothing-here:1");
        assertThatThrownBy(() -> client.create(missing.toCreateBody(), null)).isInstanceOf(EngineException.NotFound.class)
                .hasMessageContaining("nothing-here:1");
    }

    @Test
    void networksComeFromTheEngineWhenItServesThem() {
        // the engine makes its default bridge on first use; another engine's bridge on this host would
        // hold the same subnet and the engine rightly refuses the overlap
        assumeFalse(Files.exists(Path.of("/sys/class/net/berth0")), "another engine's default bridge is up on this host");
        assertThat(client.networks()).hasValueSatisfying(names -> assertThat(names).contains("bridge", "host", "none"));
    }
}
