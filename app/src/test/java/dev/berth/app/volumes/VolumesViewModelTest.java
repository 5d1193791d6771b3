package dev.berth.app.volumes;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.i18n.Text;
import dev.berth.app.testing.HeadlessViewModel;
import dev.berth.app.volumes.VolumesClient.FileEntry;
import dev.berth.app.volumes.VolumesClient.Volume;
import dev.berth.engine.volume.VolumeCreate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.berth.app.testing.HeadlessViewModel.waitUntil;
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

    private HeadlessViewModel<VolumesViewModel> h;
    private EmbeddedBackend backend;

    @BeforeEach
    void start() {
        h = HeadlessViewModel.start(tmp, VolumesViewModel::new, VolumesViewModel::connect);
        backend = h.backend();
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
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
        return h.onUi(read);
    }

    private List<Volume> waitFor(Predicate<List<Volume>> condition) throws InterruptedException {
        return h.waitFor(VolumesViewModel::rows, condition, v -> "");
    }
}
