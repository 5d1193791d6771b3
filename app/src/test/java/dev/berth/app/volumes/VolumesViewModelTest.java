package dev.berth.app.volumes;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.UiExecutor;
import dev.berth.app.volumes.VolumesClient.FileEntry;
import dev.berth.app.volumes.VolumesClient.Volume;
import dev.berth.engine.EngineConfig;
import dev.berth.engine.volume.VolumeCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Volumes view model without a window, on an embedded engine through its API socket: the
 * list follows volume events, sizes and reference counts come from the engine, prune and the
 * file browser's reads report in words.
 */
class VolumesViewModelTest {

    static final String CONTAINER = "a".repeat(64);

    @TempDir
    Path tmp;

    private final ExecutorService uiThread = Executors.newSingleThreadExecutor();
    private EmbeddedBackend backend;
    private VolumesViewModel vm;

    @BeforeEach
    void start() {
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
        vm = new VolumesViewModel(new UiExecutor(uiThread));
        onUi(v -> {
            v.connect(backend);
            return null;
        });
    }

    @AfterEach
    void stop() {
        if (vm != null) {
            vm.close();
        }
        if (backend != null) {
            backend.close();
        }
        uiThread.shutdownNow();
    }

    @Test
    void volumesMadeElsewhereAppearWithSizeAndUseAndPruneAllLeavesUsedOnes() throws Exception {
        waitUntil(() -> onUi(v -> v.loadedProperty().get()));
        assertThat((boolean) onUi(v -> v.emptyProperty().get())).isTrue();
        Path data = backend.engine().volumes().create(VolumeCreate.named("kept")).mountpoint();
        Files.write(data.resolve("blob"), new byte[2_500]);
        backend.engine().volumes().acquire("kept", CONTAINER);
        backend.engine().volumes().create(new VolumeCreate("spare", null, Map.of(), Map.of("k", "v")));

        List<Volume> rows = waitFor(r -> r.size() == 2);
        Volume kept = rows.getFirst();
        assertThat(kept.name()).isEqualTo("kept");
        assertThat(kept.size()).isEqualTo(2_500);
        assertThat(kept.refCount()).isEqualTo(1);
        assertThat(VolumesView.usedByText(kept)).isEqualTo(Text.of("volumes.usedBy.count", 1L));
        assertThat(rows.get(1).labels()).containsEntry("k", "v");
        assertThat(VolumesView.usedByText(rows.get(1))).isEqualTo(Text.of("volumes.usedBy.none"));

        AtomicReference<VolumesClient.Pruned> pruned = new AtomicReference<>();
        onUi(v -> {
            v.prune(true, pruned::set);
            return null;
        });
        waitUntil(() -> pruned.get() != null);
        assertThat(pruned.get().names()).containsExactly("spare");
        waitFor(r -> r.size() == 1);
        backend.engine().volumes().release("kept", CONTAINER);
    }

    @Test
    void theBrowserReadsOneDirectoryAtATimeAndSaysWhyItCannot() throws Exception {
        Path data = backend.engine().volumes().create(VolumeCreate.named("files")).mountpoint();
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("sub/a.txt"), "hello");
        Volume files = waitFor(r -> r.size() == 1).getFirst();

        AtomicReference<List<FileEntry>> entries = new AtomicReference<>();
        AtomicReference<Text> error = new AtomicReference<>();
        onUi(v -> {
            v.files(files, "/sub", entries::set, error::set);
            return null;
        });
        waitUntil(() -> entries.get() != null || error.get() != null);
        assertThat(error.get()).isNull();
        assertThat(entries.get()).extracting(FileEntry::name, FileEntry::size).containsExactly(org.assertj.core.groups.Tuple.tuple("a.txt", 5L));

        onUi(v -> {
            v.files(files, "/sub/a.txt", entries::set, error::set);
            return null;
        });
        waitUntil(() -> error.get() != null);
        assertThat(error.get().key()).isEqualTo("error.invalidArgument");
        assertThat(error.get().args().getFirst().toString()).contains("/sub/a.txt is not a directory");
    }

    private <T> T onUi(Function<VolumesViewModel, T> read) {
        try {
            return uiThread.submit(() -> read.apply(vm)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<Volume> waitFor(Predicate<List<Volume>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<Volume> rows = onUi(v -> List.copyOf(v.rows()));
            if (condition.test(rows)) {
                return rows;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("rows never matched; last: " + onUi(v -> List.copyOf(v.rows())));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
