package dev.berth.app.builds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.EngineConfig;
import dev.berth.testkit.LocalImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Builds pane's history file, with real builds on an embedded engine and a single thread standing in
 * for the UI thread: finished builds come back in a new view model as they were, the file keeps the newest
 * 50, Remove and Clear finished take builds out of it, and a corrupt file is set aside.
 */
class BuildHistoryTest {

    @TempDir
    static Path tmp;
    static EmbeddedBackend backend;
    static final ExecutorService UI = Executors.newSingleThreadExecutor();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        LocalImages.busybox(backend.engine(), tmp.resolve("busybox"), "busybox:latest");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            UI.shutdownNow();
        } finally {
            if (backend != null) {
                backend.close();
            }
        }
    }

    static <T> T onUi(Callable<T> c) throws Exception {
        return UI.submit(c).get(30, TimeUnit.SECONDS);
    }

    /** A view model on {@code file}, once it has read its history. */
    static BuildsViewModel opened(Path file) throws Exception {
        BuildsViewModel vm = new BuildsViewModel(new UiExecutor(UI), new BuildHistory(file));
        waitUntil("the history is read", () -> onUi(() -> vm.historyLoadedProperty().get()));
        return vm;
    }

    static void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits until the history file holds what {@code test} wants; returns its builds. */
    static JsonNode fileUntil(Path file, Predicate<JsonNode> test) throws Exception {
        JsonNode[] last = new JsonNode[1];
        waitUntil("the history file is written", () -> {
            if (!Files.exists(file)) {
                return false;
            }
            last[0] = JSON.readTree(file.toFile()).get("builds");
            return test.test(last[0]);
        });
        return last[0];
    }

    static BuildStatus finish(BuildRun run) throws Exception {
        waitUntil("the build ends", () -> onUi(() -> run.status().finished()));
        return onUi(run::status);
    }

    static Path context(String name, String dockerfile) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ctx-" + name));
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        return dir;
    }

    /** What a run shows, in values that survive the file (times to the millisecond). */
    record Shown(BuildStatus status, String imageId, List<String> tagged, List<String> steps, int cached, int total,
                 Text error, int failingLine, String dockerfile, List<BuildLogLine> log, long durationMillis,
                 long startedMillis, BuildRequest request) {
        static Shown of(BuildRun r) {
            return new Shown(r.status(), r.imageId(), List.copyOf(r.tagged()),
                    r.steps().stream().map(s -> s.number() + "/" + s.total() + " " + s.instruction() + " line=" + s.line()
                            + " cached=" + s.cached() + " failed=" + s.failed() + " image=" + s.imageId()
                            + " took=" + s.duration().toMillis() + " at=" + s.started().toEpochMilli()).toList(),
                    r.cachedStepsProperty().get(), r.totalStepsProperty().get(),
                    r.errorProperty().get() == null ? null
                            : Text.of(r.errorProperty().get().key(), r.errorProperty().get().args().stream().map(String::valueOf).toArray()),
                    r.failingLineProperty().get(), r.dockerfileProperty().get(), List.copyOf(r.log()),
                    r.durationProperty().get().toMillis(), r.started().toEpochMilli(), r.request());
        }
    }

    @Test
    void finishedBuildsComeBackInANewViewModelWithTheirStepsCacheMarksFailingLineAndLog() throws Exception {
        Path file = tmp.resolve("roundtrip/builds.json");
        BuildsViewModel vm = opened(file);
        onUi(() -> {
            vm.connect(backend);
            return null;
        });
        Path ok = context("hist-ok", "FROM busybox:latest\nRUN echo made it > /made\nCMD [\"cat\", \"/made\"]\n");
        BuildRequest request = new BuildRequest(ok, "Dockerfile", List.of("hist:1", "hist:latest"),
                Map.of("A", "1"), "", false, false);
        BuildRun first = onUi(() -> vm.start(request));
        assertThat(finish(first)).isEqualTo(BuildStatus.SUCCEEDED);
        BuildRun cachedRun = onUi(() -> vm.start(request));
        assertThat(finish(cachedRun)).isEqualTo(BuildStatus.SUCCEEDED);
        Path bad = context("hist-bad", "FROM busybox:latest\nRUN echo before\nRUN echo failing here; exit 3\nRUN echo never\n");
        BuildRun failed = onUi(() -> vm.start(BuildRequest.of(bad, "histbad:1")));
        assertThat(finish(failed)).isEqualTo(BuildStatus.FAILED);
        assertThat(onUi(() -> cachedRun.cachedStepsProperty().get())).isEqualTo(2);
        assertThat(onUi(() -> failed.failingLineProperty().get())).isEqualTo(3);

        fileUntil(file, b -> b.size() == 3);
        List<Shown> before = onUi(() -> vm.builds().stream().map(Shown::of).toList());
        onUi(() -> {
            vm.close();
            return null;
        });

        BuildsViewModel reopened = opened(file);
        List<Shown> after = onUi(() -> reopened.builds().stream().map(Shown::of).toList());
        assertThat(after).isEqualTo(before);
        Shown again = after.get(1);
        assertThat(again.steps()).hasSize(3).anySatisfy(s -> assertThat(s).contains("cached=true"));
        assertThat(again.cached()).isEqualTo(2);
        Shown bad3 = after.getFirst();
        assertThat(bad3.status()).isEqualTo(BuildStatus.FAILED);
        assertThat(bad3.failingLine()).isEqualTo(3);
        assertThat(bad3.error().key()).isEqualTo("builds.failed.engine");
        assertThat(bad3.log()).extracting(BuildLogLine::text).contains("failing here");
        assertThat(bad3.log().getLast().kind()).as("the engine's error is the log's last line").isEqualTo(BuildLogLine.Kind.ERROR);
        assertThat(after.get(2).request().buildArgs()).containsEntry("A", "1");
        assertThat(onUi(() -> reopened.builds().getFirst().stepOutput(3))).contains("failing here");
    }

    @Test
    void theFileKeepsTheNewestFiftyBuildsAndAtMostTwoThousandLogLinesEach() throws Exception {
        Path file = tmp.resolve("cap/builds.json");
        List<SavedBuild> old = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            List<SavedBuild.Line> log = new ArrayList<>();
            for (int n = 0; n < 2_500; n++) {
                log.add(new SavedBuild.Line(0, "OUTPUT", "build " + i + " line " + n));
            }
            old.add(new SavedBuild(new SavedBuild.Request(tmp.resolve("ctx" + i).toString(), "Dockerfile",
                    List.of("old:" + i), Map.of(), "", false, false), "SUCCEEDED", 1_000_000L - i, 5, "sha256:" + i,
                    List.of("old:" + i), List.of(), null, List.of(), 0, "FROM scratch\n", log));
        }
        // a file written by hand may hold more than fifty: only the newest fifty come back
        assertThat(new BuildHistory(file).save(1, old)).isTrue();
        assertThat(JSON.readTree(file.toFile()).get("builds")).hasSize(50);

        BuildsViewModel vm = opened(file);
        assertThat(onUi(() -> vm.builds().size())).isEqualTo(50);
        BuildRun restored = onUi(() -> vm.builds().getFirst());
        // a run with a longer log is saved with its last 2,000 lines
        assertThat(onUi(() -> restored.log().size())).isEqualTo(2_500);

        // a new build (this one fails: no engine) heads the list; the oldest drops out of the file
        BuildRun fresh = onUi(() -> vm.start(BuildRequest.of(tmp, "fresh:1")));
        assertThat(fresh.status()).isEqualTo(BuildStatus.FAILED);
        JsonNode builds = fileUntil(file, b -> b.get(0).get("request").get("tags").get(0).asText().equals("fresh:1"));
        assertThat(builds).hasSize(50);
        assertThat(builds.get(1).get("request").get("tags").get(0).asText()).isEqualTo("old:0");
        assertThat(builds.get(49).get("request").get("tags").get(0).asText()).isEqualTo("old:48");
        assertThat(builds.get(1).get("log")).hasSize(2_000);
        assertThat(builds.get(1).get("log").get(0).get("text").asText()).isEqualTo("build 0 line 500");
        assertThat(builds.get(1).get("log").get(1_999).get("text").asText()).isEqualTo("build 0 line 2499");
        assertThat(builds.get(0).get("errorKey").asText()).isEqualTo("builds.failed.notConnected");
        assertThat(onUi(() -> vm.builds().size())).as("the list itself keeps them for the session").isEqualTo(51);
    }

    @Test
    void removeAndClearFinishedTakeBuildsOutOfTheFile() throws Exception {
        Path file = tmp.resolve("remove/builds.json");
        BuildsViewModel vm = opened(file);
        onUi(() -> vm.start(BuildRequest.of(tmp, "a:1")));
        BuildRun b = onUi(() -> vm.start(BuildRequest.of(tmp, "b:1")));
        onUi(() -> vm.start(BuildRequest.of(tmp, "c:1")));
        fileUntil(file, builds -> builds.size() == 3);

        assertThat(onUi(() -> vm.remove(b))).isTrue();
        JsonNode left = fileUntil(file, builds -> builds.size() == 2);
        assertThat(left).extracting(n -> n.get("request").get("tags").get(0).asText()).containsExactly("c:1", "a:1");

        BuildsViewModel reopened = opened(file);
        assertThat(onUi(() -> reopened.builds().stream().map(BuildRun::displayName).toList()))
                .containsExactly("c:1", "a:1");
        onUi(() -> {
            reopened.remove(reopened.builds().getLast());
            return null;
        });
        fileUntil(file, builds -> builds.size() == 1);
        onUi(() -> {
            reopened.clearFinished();
            return null;
        });
        fileUntil(file, builds -> builds.isEmpty());
        BuildsViewModel last = opened(file);
        assertThat(onUi(() -> last.builds().isEmpty())).isTrue();
    }

    @Test
    void aCorruptHistoryFileIsSetAsideAndThePaneStartsEmpty() throws Exception {
        Path file = Files.createDirectories(tmp.resolve("corrupt")).resolve("builds.json");
        String garbage = "{\"format\": 1, \"builds\": [ {\"status\": \"SUCC";
        Files.writeString(file, garbage);
        BuildsViewModel vm = opened(file);
        assertThat(onUi(() -> vm.builds().isEmpty())).isTrue();
        assertThat(file).doesNotExist();
        assertThat(file.resolveSibling("builds.json.corrupt")).hasContent(garbage);

        // valid JSON that is not a history of finished builds is set aside too
        Files.writeString(file, "{\"format\": 1, \"builds\": [{\"request\": {\"context\": \"/x\"}, \"status\": \"RUNNING\"}]}");
        BuildsViewModel second = opened(file);
        assertThat(onUi(() -> second.builds().isEmpty())).isTrue();
        assertThat(file.resolveSibling("builds.json.corrupt")).content().contains("RUNNING");

        // and the pane goes on saving into a fresh file
        BuildRun run = onUi(() -> vm.start(BuildRequest.of(tmp, "after:1")));
        assertThat(run.status()).isEqualTo(BuildStatus.FAILED);
        assertThat(fileUntil(file, b -> b.size() == 1).get(0).get("status").asText()).isEqualTo("FAILED");
    }
}
