package dev.berth.app.task;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.backend.EngineEvent;
import dev.berth.app.i18n.Text;
import dev.berth.app.volumes.VolumesClient;
import dev.berth.app.volumes.VolumesClient.Volume;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.network.NetworkCreateRequest;
import dev.berth.engine.volume.VolumeCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live list on an embedded engine through its API socket, with a UI thread the test can hold:
 * events that arrive while a read is queued fold into it, events of other kinds queue nothing,
 * and a new backend gets a new client.
 */
class LiveListTest {

    @TempDir
    Path tmp;

    private final ExecutorService uiThread = Executors.newSingleThreadExecutor();
    private final AtomicInteger uiTasks = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger clients = new AtomicInteger();
    private final List<EngineEvent> seen = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private EmbeddedBackend backend;
    private LiveList<Volume, VolumesClient> list;

    @BeforeEach
    void start() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        UiExecutor executor = new UiExecutor(task -> uiThread.execute(() -> {
            uiTasks.incrementAndGet();
            task.run();
        }));
        list = new LiveList<>(executor, Text.of("volumes.task.list"), b -> {
            clients.incrementAndGet();
            return new VolumesClient(b.api());
        }, c -> {
            reads.incrementAndGet();
            return c.list();
        }, e -> {
            seen.add(e);
            return "volume".equals(e.type());
        }, failures::add);
    }

    @AfterEach
    void stop() {
        if (list != null) {
            list.close();
        }
        if (backend != null) {
            backend.close();
        }
        uiThread.shutdownNow();
    }

    @Test
    void eventsWhileAReadIsQueuedFoldIntoItAndOtherKindsQueueNothing() throws Exception {
        list.connect(backend);
        waitUntil(() -> list.loadedProperty().get());
        assertThat(list.rows()).isEmpty();
        assertThat(reads.get()).isEqualTo(1);

        // three volume events while the UI thread is busy: one read afterwards, not three
        CountDownLatch held = hold();
        for (String name : List.of("va", "vb", "vc")) {
            backend.engine().volumes().create(VolumeCreate.named(name));
        }
        waitUntil(() -> count("volume") >= 3);
        held.countDown();
        waitUntil(() -> list.rows().size() == 3);
        flushUi();
        assertThat(list.rows()).extracting(Volume::name).containsExactlyInAnyOrder("va", "vb", "vc");
        assertThat(reads.get()).isEqualTo(2);

        // a network event is seen but queues no work on the UI thread
        held = hold();
        backend.engine().networks().create(new NetworkCreateRequest("not-a-volume", null, null, null, null, false,
                Map.of(), Map.of()));
        waitUntil(() -> count("network") >= 1);
        int before = uiTasks.get();
        held.countDown();
        flushUi();
        assertThat(uiTasks.get() - before).as("UI tasks besides the flush").isEqualTo(1);
        assertThat(reads.get()).isEqualTo(2);
        assertThat(failures).isEmpty();
        backend.engine().networks().remove("not-a-volume");
    }

    @Test
    void aNewBackendGetsANewClientAndClosingStopsFollowing() throws Exception {
        list.connect(backend);
        waitUntil(() -> list.loadedProperty().get());
        assertThat(clients.get()).isEqualTo(1);
        list.refresh();
        waitUntil(() -> reads.get() == 2);
        assertThat(clients.get()).as("one client per backend").isEqualTo(1);

        list.connect(backend);
        waitUntil(() -> reads.get() == 3);
        assertThat(clients.get()).isEqualTo(2);
        assertThat(list.backendProperty().get()).isSameAs(backend);

        list.close();
        int eventsBefore = seen.size();
        backend.engine().volumes().create(VolumeCreate.named("after-close"));
        list.refresh(); // the last backend is kept: an explicit read still works and shows the volume
        waitUntil(() -> list.rows().size() == 1);
        flushUi();
        assertThat(seen).hasSize(eventsBefore);
    }

    @Test
    void aReadThatEndsAfterAReconnectDoesNotReplaceTheNewBackendsRows() throws Exception {
        CountDownLatch firstReadEntered = new CountDownLatch(1);
        CountDownLatch releaseFirstRead = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        UiExecutor executor = new UiExecutor(uiThread::execute);
        List<Throwable> slowFailures = new CopyOnWriteArrayList<>();
        LiveList<String, String> slow = new LiveList<>(executor, Text.of("volumes.task.list"),
                b -> "client-" + made.incrementAndGet(), c -> {
                    if (started.incrementAndGet() == 1) {
                        firstReadEntered.countDown();
                        try {
                            releaseFirstRead.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return List.of(c);
                }, e -> false, slowFailures::add);
        try {
            slow.connect(backend);
            assertThat(firstReadEntered.await(10, TimeUnit.SECONDS)).isTrue();
            slow.connect(backend); // connected again while the first read still runs
            waitUntil(() -> slow.rows().equals(List.of("client-2")));
            releaseFirstRead.countDown();
            // both reads have handed their result to the UI thread once no task is running
            waitUntil(() -> {
                try {
                    return uiThread.submit(() -> executor.runningTasks().isEmpty()).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            flushUi();
            assertThat(slow.rows()).as("the old read's rows are dropped").containsExactly("client-2");
            assertThat(slowFailures).isEmpty();
        } finally {
            releaseFirstRead.countDown();
            slow.close();
            executor.close();
        }
    }

    private long count(String type) {
        return seen.stream().filter(e -> type.equals(e.type())).count();
    }

    /** Blocks the UI thread until the returned latch is counted down. */
    private CountDownLatch hold() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        uiThread.execute(() -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    /** Waits until everything queued on the UI thread so far has run. */
    private void flushUi() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        uiThread.execute(() -> {
            uiTasks.incrementAndGet();
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
