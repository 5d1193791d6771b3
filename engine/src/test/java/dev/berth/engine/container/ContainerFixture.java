package dev.berth.engine.container;

import dev.berth.engine.Engine;
import dev.berth.engine.runtime.spec.Cgroups;
import dev.berth.testkit.Mounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracks the containers a test creates, removes them afterwards (force), and proves nothing is
 * left: no mount under the engine root, no cgroup {@code berth/<id>}, no conmon for the id.
 */
final class ContainerFixture {

    private final Engine engine;
    private final Path root;
    private final List<String> ids = new ArrayList<>();

    ContainerFixture(Engine engine, Path root) {
        this.engine = engine;
        this.root = root;
    }

    ContainerService service() {
        return engine.containers();
    }

    Container create(CreateRequest.Builder b) {
        Container c = service().create(b.build());
        ids.add(c.id());
        return c;
    }

    Container run(CreateRequest.Builder b) {
        Container c = create(b);
        return service().start(c.id());
    }

    void track(String id) {
        ids.add(id);
    }

    /** Removes every tracked container and asserts nothing of them is left on the host. */
    void cleanUpAndVerify() {
        for (String id : ids) {
            try {
                service().remove(id, true, false);
            } catch (dev.berth.engine.errors.EngineException.NotFound e) {
                // removed by the test
            }
        }
        assertThat(Mounts.mountPointsUnder(root)).as("mounts left under %s", root).isEmpty();
        for (String id : ids) {
            assertThat(Cgroups.host().existingDirs(Cgroups.containerPath(id))).as("cgroups of %s", id).isEmpty();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!conmonsFor(id).isEmpty() && System.nanoTime() < deadline) {
                sleep(20); // conmon writes the exit code, then exits
            }
            assertThat(conmonsFor(id)).as("conmon of %s", id).isEmpty();
            assertThat(root.resolve("containers").resolve(id)).doesNotExist();
        }
        ids.clear();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Pids of conmon processes whose command line names {@code id}. */
    static List<Long> conmonsFor(String id) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    String comm = Files.readString(p.resolve("comm")).strip();
                    if (comm.equals("conmon") && cmdline.contains(id)) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
