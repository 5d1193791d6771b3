package dev.berth.app.events;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.events.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Events view model without a window, on a real embedded engine's bus. A single-threaded
 * executor stands in for the JavaFX thread so the model's lists change on one thread.
 */
class EventsViewModelTest {

    @TempDir
    static Path tmp;
    private static EmbeddedBackend backend;
    private static final ExecutorService uiThread = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void startEngine() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("berth.sock")), false);
    }

    @AfterAll
    static void stopEngine() {
        backend.close();
        uiThread.shutdownNow();
    }

    private static EventsViewModel connected(int capacity) {
        EventsViewModel vm = new EventsViewModel(new UiExecutor(uiThread), capacity);
        vm.connect(backend, Instant.now());
        return vm;
    }

    private static void publish(String action, String name) {
        backend.engine().events().publish(Event.of("container", action, "id-" + name, Map.of("name", name)));
    }

    @Test
    void newestEventIsOnTopAndOldestFallOffBeyondTheCapacity() throws Exception {
        try (EventsViewModel vm = connected(5)) {
            for (int i = 1; i <= 8; i++) {
                publish("start", "c" + i);
            }
            waitUntil(() -> onUi(() -> !vm.allEvents().isEmpty() && vm.allEvents().getFirst().actorLabel().equals("c8")));
            List<String> names = onUi(() -> vm.allEvents().stream().map(EngineEvent::actorLabel).toList());
            assertThat(names).containsExactly("c8", "c7", "c6", "c5", "c4");
        }
    }

    @Test
    void pauseHoldsNewEventsUntilResumed() throws Exception {
        try (EventsViewModel vm = connected(100)) {
            publish("create", "before");
            waitUntil(() -> onUi(() -> vm.allEvents().size() == 1));
            onUi(() -> { vm.pausedProperty().set(true); return null; });
            publish("start", "while-paused");
            waitUntil(() -> onUi(() -> vm.waitingProperty().get() == 1));
            assertThat(onUi(() -> vm.allEvents().size())).isEqualTo(1);

            onUi(() -> { vm.pausedProperty().set(false); return null; });
            assertThat(onUi(() -> vm.allEvents().stream().map(EngineEvent::actorLabel).toList()))
                    .containsExactly("while-paused", "before");
            assertThat(onUi(() -> vm.waitingProperty().get())).isZero();
        }
    }

    @Test
    void filterMatchesTypeActionNameAndAttributesAndClearEmptiesTheList() throws Exception {
        try (EventsViewModel vm = connected(100)) {
            backend.engine().events().publish(Event.of("image", "pull", "sha256:abc", Map.of("name", "busybox:latest")));
            backend.engine().events().publish(Event.of("volume", "create", "data", Map.of("driver", "local")));
            waitUntil(() -> onUi(() -> vm.allEvents().size() == 2));

            onUi(() -> { vm.filterProperty().set("PULL"); return null; });
            assertThat(onUi(() -> vm.visibleEvents().stream().map(EngineEvent::type).toList())).containsExactly("image");
            onUi(() -> { vm.filterProperty().set("driver=local"); return null; });
            assertThat(onUi(() -> vm.visibleEvents().stream().map(EngineEvent::type).toList())).containsExactly("volume");
            onUi(() -> { vm.filterProperty().set(""); return null; });
            assertThat(onUi(() -> vm.visibleEvents().size())).isEqualTo(2);

            onUi(() -> { vm.clear(); return null; });
            assertThat(onUi(() -> vm.allEvents().size())).isZero();
        }
    }

    @Test
    void closingStopsTheStream() throws Exception {
        EventsViewModel vm = connected(100);
        publish("create", "one");
        waitUntil(() -> onUi(() -> vm.allEvents().size() == 1));
        vm.close();
        publish("create", "two");
        publish("create", "three");
        Thread.sleep(600); // longer than the reader's poll interval: an open stream would have delivered
        assertThat(onUi(() -> vm.allEvents().size())).isEqualTo(1);
    }

    private static <T> T onUi(java.util.concurrent.Callable<T> c) throws Exception {
        return uiThread.submit(c).get(10, TimeUnit.SECONDS);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
