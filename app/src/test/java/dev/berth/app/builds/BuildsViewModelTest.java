package dev.berth.app.builds;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.container.ContainerFilter;
import dev.berth.testkit.LocalImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Builds view model without a window, on an embedded engine through its API socket, with a
 * single thread standing in for the UI thread: runs fill in step by step, rebuilds mark their cache
 * hits, failures name the Dockerfile line, a cancelled build stops in the engine.
 */
class BuildsViewModelTest {

    @TempDir
    static Path tmp;
    static EmbeddedBackend backend;
    static final ExecutorService UI = Executors.newSingleThreadExecutor();
    static BuildsViewModel vm;

    @BeforeAll
    static void start() throws Exception {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        LocalImages.busybox(backend.engine(), tmp.resolve("busybox"), "busybox:latest");
        vm = new BuildsViewModel(new UiExecutor(UI));
        onUi(() -> {
            vm.connect(backend);
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (vm != null) {
                onUi(() -> {
                    vm.close();
                    return null;
                });
            }
        } finally {
            UI.shutdownNow();
            if (backend != null) {
                backend.close();
            }
        }
    }

    static <T> T onUi(Callable<T> c) throws Exception {
        return UI.submit(c).get(30, TimeUnit.SECONDS);
    }

    static Path context(String name, String dockerfile) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ctx-" + name));
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        return dir;
    }

    /** Waits (at most a minute) until {@code run} ends; returns its status. */
    static BuildStatus finish(BuildRun run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            BuildStatus s = onUi(run::status);
            if (s.finished()) {
                return s;
            }
            assertThat(System.nanoTime()).as("the build ends").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aBuildFillsInItsStepsAndARebuildMarksEveryStepAfterTheBaseCached() throws Exception {
        Path ctx = context("seed", BuildsClientTest.SEED);
        BuildRun first = onUi(() -> vm.start(BuildRequest.of(ctx, "vmseed:1")));
        assertThat(onUi(() -> vm.selectedProperty().get())).isSameAs(first);
        assertThat(finish(first)).isEqualTo(BuildStatus.SUCCEEDED);

        String id = backend.engine().imageService().inspect("vmseed:1").image().id().toString();
        List<BuildStepRow> steps = onUi(() -> List.copyOf(first.steps()));
        assertThat(steps).extracting(BuildStepRow::number).containsExactly(1, 2, 3, 4);
        assertThat(steps).extracting(BuildStepRow::line).containsExactly(1, 2, 3, 4);
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.running()).isFalse();
            assertThat(s.cached()).isFalse();
            assertThat(s.failed()).isFalse();
        });
        // timings come from when the lines arrived: the RUN (a container) takes time, and the steps fit in the build
        assertThat(steps.get(2).duration()).isPositive();
        java.time.Duration total = onUi(() -> first.durationProperty().get());
        assertThat(steps.stream().map(BuildStepRow::duration).reduce(java.time.Duration.ZERO, java.time.Duration::plus))
                .isLessThanOrEqualTo(total);
        assertThat(steps.get(2).instruction()).startsWith("RUN mkdir -p /data");
        assertThat(onUi(() -> first.stepOutput(3))).contains("made the seed");
        assertThat(onUi(first::imageId)).isEqualTo(id);
        assertThat(onUi(() -> List.copyOf(first.tagged()))).containsExactly("vmseed:1");
        assertThat(onUi(() -> first.dockerfileProperty().get())).isEqualTo(BuildsClientTest.SEED);
        assertThat(onUi(() -> first.finishedProperty().get())).isAfterOrEqualTo(first.started());
        assertThat(onUi(() -> first.errorProperty().get())).isNull();
        assertThat(onUi(() -> first.failingLineProperty().get())).isZero();

        BuildRun second = onUi(() -> vm.start(BuildRequest.of(ctx, "vmseed:1")));
        assertThat(finish(second)).isEqualTo(BuildStatus.SUCCEEDED);
        List<BuildStepRow> cached = onUi(() -> List.copyOf(second.steps()));
        assertThat(cached).extracting(BuildStepRow::cached).containsExactly(false, true, true, true);
        assertThat(onUi(() -> second.cachedStepsProperty().get())).isEqualTo(3);
        assertThat(onUi(() -> second.totalStepsProperty().get())).isEqualTo(4);
        assertThat(onUi(() -> second.stepOutput(3))).doesNotContain("made the seed").contains(" ---> Using cache");
        assertThat(onUi(second::imageId)).isEqualTo(id);
        // newest first
        assertThat(onUi(() -> vm.builds().indexOf(second))).isLessThan(onUi(() -> vm.builds().indexOf(first)));
    }

    @Test
    void aChattyStepLosesNoLineOfItsOutput() throws Exception {
        Path ctx = context("chatty", "FROM busybox:latest\nRUN seq 1 20000\n");
        BuildRun run = onUi(() -> vm.start(BuildRequest.of(ctx, "vmchatty:1")));
        assertThat(finish(run)).isEqualTo(BuildStatus.SUCCEEDED);
        List<String> output = onUi(() -> run.log().stream().filter(l -> l.kind() == BuildLogLine.Kind.OUTPUT)
                .map(BuildLogLine::text).toList());
        assertThat(output).hasSize(20000);
        assertThat(output.getFirst()).isEqualTo("1");
        assertThat(output.get(9999)).isEqualTo("10000");
        assertThat(output.getLast()).isEqualTo("20000");
    }

    @Test
    void aFailingRunMarksItsStepAndItsLine() throws Exception {
        Path ctx = context("fail", "FROM busybox:latest\n\n# the next line fails\nRUN echo before the failure && exit 3\nCMD [\"true\"]\n");
        BuildRun run = onUi(() -> vm.start(BuildRequest.of(ctx, "vmfail:1")));
        assertThat(finish(run)).isEqualTo(BuildStatus.FAILED);

        assertThat(onUi(() -> run.failingLineProperty().get())).isEqualTo(4);
        Text error = onUi(() -> run.errorProperty().get());
        assertThat(error.key()).isEqualTo("builds.failed.engine");
        assertThat(error.args()).containsExactly("The command '/bin/sh -c echo before the failure && exit 3' returned a non-zero code: 3");
        BuildStepRow last = onUi(() -> run.steps().getLast());
        assertThat(last.number()).isEqualTo(2);
        assertThat(last.failed()).isTrue();
        assertThat(last.running()).isFalse();
        assertThat(onUi(() -> run.log().getLast())).isEqualTo(new BuildLogLine(2, BuildLogLine.Kind.ERROR,
                "The command '/bin/sh -c echo before the failure && exit 3' returned a non-zero code: 3"));
        assertThat(onUi(run::imageId)).isEmpty();
    }

    @Test
    void aMalformedDockerfileFailsOnTheLineTheParserNames() throws Exception {
        Path ctx = context("bad", "FROM busybox:latest\nRUN true\nFROBNICATE now\n");
        BuildRun run = onUi(() -> vm.start(BuildRequest.of(ctx, "vmbad:1")));
        assertThat(finish(run)).isEqualTo(BuildStatus.FAILED);

        assertThat(onUi(() -> run.failingLineProperty().get())).isEqualTo(3);
        Text error = onUi(() -> run.errorProperty().get());
        assertThat(error.key()).isEqualTo("error.invalidArgument");
        assertThat(error.args()).containsExactly("dockerfile parse error on line 3: unknown instruction: FROBNICATE");
        assertThat(onUi(() -> run.steps().size())).isZero();
    }

    @Test
    void cancellingARunningBuildStopsItInTheEngine() throws Exception {
        Path ctx = context("slow", "FROM busybox:latest\nRUN echo started && sleep 60\n");
        BuildRun run = onUi(() -> vm.start(BuildRequest.of(ctx, "vmslow:1")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!onUi(() -> run.stepOutput(2).contains("started"))) {
            assertThat(System.nanoTime()).as("the RUN starts").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(onUi(() -> vm.remove(run))).as("a running build stays on the list").isFalse();
        onUi(() -> {
            run.cancel();
            return null;
        });
        assertThat(finish(run)).isEqualTo(BuildStatus.CANCELLED);
        assertThat(onUi(() -> run.errorProperty().get())).isNull();
        assertThat(onUi(() -> run.steps().getLast().running())).isFalse();
        // the engine notices the closed call and removes the step's container
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!backend.engine().containers().list(ContainerFilter.ALL).isEmpty()) {
            assertThat(System.nanoTime()).as("the RUN container goes").isLessThan(gone);
            Thread.sleep(100);
        }
        assertThat(onUi(() -> vm.remove(run))).isTrue();
        assertThat(onUi(() -> vm.builds().contains(run))).isFalse();
    }

    @Test
    void anEngineThatDoesNotServeItsApiFailsTheBuildInPlainWords(@TempDir Path own) throws Exception {
        UiExecutor executor = new UiExecutor(UI);
        try (EmbeddedBackend noSocket = EmbeddedBackend.start(
                new EngineConfig(own.resolve("root"), own.resolve("b.sock")), false)) {
            BuildsViewModel other = new BuildsViewModel(executor);
            onUi(() -> {
                other.connect(noSocket);
                return null;
            });
            Path ctx = context("nosocket", "FROM busybox:latest\n");
            BuildRun run = onUi(() -> other.start(BuildRequest.of(ctx, "nosocket:1")));
            assertThat(finish(run)).isEqualTo(BuildStatus.FAILED);
            Text error = onUi(() -> run.errorProperty().get());
            assertThat(error.key()).isEqualTo("error.unavailable");
            assertThat(error.args()).singleElement().asString().contains("without its Docker API socket");
        } finally {
            executor.close();
        }
    }

    @Test
    void aBuildStartedWhileTheWindowClosesEndsCancelledInsteadOfRunningForever() throws Exception {
        UiExecutor closed = new UiExecutor(UI);
        closed.close();
        BuildsViewModel closing = new BuildsViewModel(closed);
        Path ctx = context("closing", "FROM busybox:latest\n");
        BuildRun run = onUi(() -> {
            closing.connect(backend);
            return closing.start(BuildRequest.of(ctx, "closing:1"));
        });
        assertThat(onUi(run::status)).isEqualTo(BuildStatus.CANCELLED);
        assertThat(onUi(() -> closing.remove(run))).as("an ended build can be taken off the list").isTrue();
    }

    @Test
    void withoutAnEngineABuildFailsInPlainWords() throws Exception {
        BuildsViewModel offline = new BuildsViewModel(new UiExecutor(UI));
        BuildRun run = onUi(() -> offline.start(BuildRequest.of(tmp, "x:1")));
        assertThat(run.status()).isEqualTo(BuildStatus.FAILED);
        assertThat(run.errorProperty().get()).isEqualTo(Text.of("builds.failed.notConnected"));
        assertThat(offline.builds()).containsExactly(run);
    }
}
