package dev.berth.app.containers;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.EngineConfig;
import dev.berth.testkit.LocalImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Containers view model without a window: which events re-read a row, how rows are kept
 * across updates, the filter and "show stopped"; and, on a real engine with real runc, that the
 * table follows a container's life from the events alone.
 */
class ContainersViewModelTest {

    private static final ExecutorService uiThread = Executors.newSingleThreadExecutor();
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    Path tmp;

    @AfterAll
    static void stop() {
        uiThread.shutdownNow();
    }

    private static EngineEvent event(String type, String action, String id) {
        return new EngineEvent(NOW, type, action, id, Map.of("name", "web"));
    }

    private static ContainerSummary summary(String hex, String name, ContainerState state, long ageSeconds) {
        return new ContainerSummary(hex.repeat(64), name, "busybox:latest", "sha256:" + "f".repeat(64), "sleep 300",
                NOW.minusSeconds(ageSeconds), state, state == ContainerState.RUNNING ? "Up 3 minutes" : "Exited (0) 1 minute ago",
                List.of(new PublishedPort("127.0.0.1", 80, 8080, "tcp")), Map.of());
    }

    @Test
    void lifecycleEventsRereadTheirContainerAndExecAttachAndOtherTypesDoNot() {
        for (String action : List.of("create", "start", "die", "stop", "kill", "pause", "unpause", "restart", "rename", "destroy", "oom")) {
            assertThat(ContainersViewModel.changesRow(event("container", action, "a".repeat(64)))).as(action).isTrue();
        }
        for (String action : List.of("exec_create", "exec_start", "exec_die", "attach", "detach", "resize", "top", "commit", "export")) {
            assertThat(ContainersViewModel.changesRow(event("container", action, "a".repeat(64)))).as(action).isFalse();
        }
        assertThat(ContainersViewModel.changesRow(event("image", "pull", "busybox"))).isFalse();
        assertThat(ContainersViewModel.changesRow(event("container", "prune", ""))).isFalse();
    }

    @Test
    void anUpdateChangesTheRowInPlaceSoSelectionAndOrderHold() {
        ContainersViewModel vm = new ContainersViewModel(new UiExecutor(Runnable::run));
        vm.show(List.of(summary("a", "web", ContainerState.RUNNING, 60), summary("b", "db", ContainerState.EXITED, 120)));
        ContainersViewModel.Row web = vm.row("a".repeat(64)).orElseThrow();
        assertThat(vm.visibleRows()).extracting(r -> r.container().name()).containsExactly("web", "db");

        vm.upsert(summary("a", "web", ContainerState.EXITED, 60));
        assertThat(vm.row("a".repeat(64))).containsSame(web);
        assertThat(web.state()).isEqualTo(ContainerState.EXITED);
        assertThat(vm.allRows()).hasSize(2);

        vm.upsert(summary("c", "cache", ContainerState.CREATED, 10));
        assertThat(vm.visibleRows()).extracting(r -> r.container().name()).containsExactly("cache", "web", "db");
        vm.drop("b".repeat(64));
        assertThat(vm.visibleRows()).extracting(r -> r.container().name()).containsExactly("cache", "web");

        // a full read keeps the rows of containers still there and drops the others
        vm.show(List.of(summary("a", "web", ContainerState.RUNNING, 60)));
        assertThat(vm.allRows()).singleElement().isSameAs(web);
        assertThat(vm.emptyProperty().get()).isFalse();
        vm.show(List.of());
        assertThat(vm.emptyProperty().get()).isTrue();
    }

    @Test
    void filterMatchesNameImageIdCommandAndPortsAndShowStoppedHidesExitedOnes() {
        ContainersViewModel vm = new ContainersViewModel(new UiExecutor(Runnable::run));
        vm.show(List.of(summary("a", "web", ContainerState.RUNNING, 60), summary("b", "db", ContainerState.EXITED, 120),
                summary("c", "cache", ContainerState.PAUSED, 30)));
        vm.showStoppedProperty().set(false);
        assertThat(vm.visibleRows()).extracting(r -> r.container().name()).containsExactly("cache", "web");
        vm.showStoppedProperty().set(true);
        vm.filterProperty().set("DB");
        assertThat(vm.visibleRows()).extracting(r -> r.container().name()).containsExactly("db");
        vm.filterProperty().set("bbbbbb");
        assertThat(vm.visibleRows()).extracting(r -> r.container().name()).containsExactly("db");
        vm.filterProperty().set("8080->80");
        assertThat(vm.visibleRows()).hasSize(3);
        vm.filterProperty().set("nothing-like-it");
        assertThat(vm.visibleRows()).isEmpty();
        assertThat(vm.summary().get()).isEqualTo(dev.berth.app.i18n.Text.of("containers.count", 0, 3, 1L));
    }

    @Test
    void actionsApplyOnlyToContainersInAStateTheyFit() {
        assertThat(ContainersViewModel.Action.START.appliesTo(ContainerState.EXITED)).isTrue();
        assertThat(ContainersViewModel.Action.START.appliesTo(ContainerState.RUNNING)).isFalse();
        assertThat(ContainersViewModel.Action.STOP.appliesTo(ContainerState.PAUSED)).isTrue();
        assertThat(ContainersViewModel.Action.STOP.appliesTo(ContainerState.EXITED)).isFalse();
        assertThat(ContainersViewModel.Action.KILL.appliesTo(ContainerState.RUNNING)).isTrue();
        assertThat(ContainersViewModel.Action.KILL.appliesTo(ContainerState.CREATED)).isFalse();
        assertThat(ContainersViewModel.Action.PAUSE.appliesTo(ContainerState.PAUSED)).isFalse();
        assertThat(ContainersViewModel.Action.RESUME.appliesTo(ContainerState.PAUSED)).isTrue();
        assertThat(ContainersViewModel.Action.REMOVE.appliesTo(ContainerState.RUNNING)).isTrue();
    }

    @Test
    void theTableFollowsARealContainersLifeFromEngineEventsAndSamplesOnlyWhileItRuns() throws Exception {
        try (EmbeddedBackend backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true)) {
            LocalImages.busybox(backend.engine(), tmp.resolve("busybox"), "busybox:latest");
            ContainersClient client = new ContainersClient(backend.api());
            ContainersViewModel vm = new ContainersViewModel(new UiExecutor(uiThread));
            String id = null;
            try {
                uiThread.submit(() -> vm.connect(backend)).get();
                waitUntil(() -> onUi(() -> vm.loadedProperty().get()));
                assertThat(onUi(() -> vm.emptyProperty().get())).isTrue();

                // created by another client: only the engine's events tell the view model
                RunRequest request = new RunRequest("busybox", "life", "sleep 300", List.of(), "", "", "no", "",
                        false, false, false, List.of(), List.of(), "none");
                id = client.create(request.toCreateBody(), request.containerName());
                String cid = id;
                waitUntil(() -> onUi(() -> vm.row(cid).map(r -> r.state() == ContainerState.CREATED).orElse(false)));
                ContainersViewModel.Row row = onUi(() -> vm.row(cid).orElseThrow());
                assertThat(row.container().name()).isEqualTo("life");
                assertThat(row.container().image()).startsWith("busybox");
                assertThat(row.container().command()).isEqualTo("sleep 300");

                client.start(id);
                waitUntil(() -> onUi(() -> row.state() == ContainerState.RUNNING));
                waitUntil(() -> onUi(() -> row.statsProperty().get() != null && row.statsProperty().get().hasCpu()));
                assertThat(onUi(() -> row.statsProperty().get().memoryUsage())).isPositive();

                client.pause(id);
                waitUntil(() -> onUi(() -> row.state() == ContainerState.PAUSED));
                client.unpause(id);
                waitUntil(() -> onUi(() -> row.state() == ContainerState.RUNNING));

                client.kill(id, "SIGKILL");
                waitUntil(() -> onUi(() -> row.state() == ContainerState.EXITED));
                waitUntil(() -> onUi(() -> row.statsProperty().get() == null));

                client.remove(id, false, false);
                id = null;
                waitUntil(() -> onUi(() -> vm.row(cid).isEmpty()));
                assertThat(onUi(() -> vm.allRows().isEmpty())).isTrue();
            } finally {
                vm.close();
                if (id != null) {
                    backend.engine().containers().remove(id, true, true);
                }
            }
        }
    }

    private static <T> T onUi(Callable<T> read) {
        try {
            return uiThread.submit(read).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
