package dev.berth.app.images;

import dev.berth.app.task.UiExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Images view model's list without a window: rows per tag, filter, dangling switch, order. */
class ImagesViewModelTest {

    private static final ExecutorService uiThread = Executors.newSingleThreadExecutor();
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @AfterAll
    static void stop() {
        uiThread.shutdownNow();
    }

    private static ImagesViewModel withImages() {
        ImagesViewModel vm = new ImagesViewModel(new UiExecutor(uiThread));
        vm.show(List.of(
                image("a", List.of("busybox:latest", "127.0.0.1:5000/tools/busybox:1.36"), NOW.minusSeconds(86400 * 3), 4_260_000),
                image("b", List.of(), NOW.minusSeconds(3600), 1_000),
                image("c", List.of("nginx:1.27"), NOW.minusSeconds(60), 190_000_000)));
        return vm;
    }

    private static ImageSummary image(String hexChar, List<String> tags, Instant created, long size) {
        return new ImageSummary("sha256:" + hexChar.repeat(64), tags, List.of(), created, size, 0);
    }

    @Test
    void eachTagIsARowAndDanglingImagesAreHiddenUntilAskedFor() {
        ImagesViewModel vm = withImages();
        assertThat(vm.allRows()).hasSize(4);
        assertThat(vm.visibleRows()).extracting(r -> r.repository() + ":" + r.tag())
                .containsExactly("nginx:1.27", "127.0.0.1:5000/tools/busybox:1.36", "busybox:latest");

        vm.showDanglingProperty().set(true);
        assertThat(vm.visibleRows()).hasSize(4);
        ImagesViewModel.Row dangling = vm.visibleRows().get(1);
        assertThat(dangling.dangling()).isTrue();
        assertThat(dangling.repository()).isEqualTo("<none>");
        assertThat(dangling.tag()).isEqualTo("<none>");
        assertThat(dangling.reference()).isEqualTo("sha256:" + "b".repeat(64));
        assertThat(dangling.shortId()).isEqualTo("bbbbbbbbbbbb");
    }

    @Test
    void filterMatchesRepositoryTagAndIdIgnoringCase() {
        ImagesViewModel vm = withImages();
        vm.filterProperty().set("BusyBox");
        assertThat(vm.visibleRows()).extracting(ImagesViewModel.Row::tag).containsExactlyInAnyOrder("latest", "1.36");
        vm.filterProperty().set("1.27");
        assertThat(vm.visibleRows()).extracting(ImagesViewModel.Row::repository).containsExactly("nginx");
        vm.filterProperty().set("cccccc");
        assertThat(vm.visibleRows()).extracting(ImagesViewModel.Row::repository).containsExactly("nginx");
        vm.filterProperty().set("busybox:latest");
        assertThat(vm.visibleRows()).hasSize(1);
        vm.filterProperty().set("nothing-like-this");
        assertThat(vm.visibleRows()).isEmpty();
        assertThat(vm.summary().get().args()).containsExactly(0, 4);
    }

    @Test
    void rowsAreNewestFirstAndACustomComparatorReordersThem() {
        ImagesViewModel vm = withImages();
        vm.showDanglingProperty().set(true);
        assertThat(vm.visibleRows()).extracting(ImagesViewModel.Row::shortId)
                .containsExactly("cccccccccccc", "bbbbbbbbbbbb", "aaaaaaaaaaaa", "aaaaaaaaaaaa");
        vm.visibleRows().setComparator(java.util.Comparator.comparingLong(ImagesViewModel.Row::size));
        assertThat(vm.visibleRows()).extracting(ImagesViewModel.Row::size)
                .containsExactly(1_000L, 4_260_000L, 4_260_000L, 190_000_000L);
    }

    @Test
    void emptyUntilTheEngineHasImages() {
        ImagesViewModel vm = new ImagesViewModel(new UiExecutor(uiThread));
        assertThat(vm.emptyProperty().get()).isTrue();
        vm.show(List.of(image("d", List.of(), NOW, 1)));
        // a dangling image alone still means the engine has images: the table (with its switch) shows
        assertThat(vm.emptyProperty().get()).isFalse();
        assertThat(vm.visibleRows()).isEmpty();
        vm.show(List.of());
        assertThat(vm.emptyProperty().get()).isTrue();
    }

    @Test
    void sizesUseDockersDecimalUnitsAndAgesAreBundleTexts() {
        assertThat(Formats.size(999)).isEqualTo("999 B");
        assertThat(Formats.size(4_260_000)).isEqualTo("4.26 MB");
        assertThat(Formats.size(190_000_000)).isEqualTo("190 MB");
        assertThat(Formats.size(12_345_678_901L)).isEqualTo("12.3 GB");
        assertThat(Formats.ago(NOW.minusSeconds(3 * 86400 + 100), NOW)).isEqualTo(dev.berth.app.i18n.Text.of("time.ago.days", 3L));
        assertThat(Formats.ago(NOW.minusSeconds(3600), NOW)).isEqualTo(dev.berth.app.i18n.Text.of("time.ago.hour"));
        assertThat(Formats.ago(NOW.minusSeconds(5), NOW)).isEqualTo(dev.berth.app.i18n.Text.of("time.ago.justNow"));
        assertThat(Formats.ago(null, NOW)).isEqualTo(dev.berth.app.i18n.Text.of("time.unknown"));
        assertThat(Formats.shortDigest("sha256:0123456789abcdef0123")).isEqualTo("0123456789ab");
    }

    @Test
    void aSelectionAskedForWaitsForTheImageAndUncoversItWhenHidden() {
        ImagesViewModel vm = new ImagesViewModel(new UiExecutor(uiThread));
        String built = "sha256:" + "d".repeat(64);
        vm.select(built); // no backend yet: kept until the image is listed
        assertThat(vm.takePendingSelection()).isNull();
        assertThat(vm.pendingSelectionProperty().get()).isEqualTo(built);

        vm.filterProperty().set("nginx");
        vm.show(List.of(image("c", List.of("nginx:1.27"), NOW.minusSeconds(60), 1),
                image("d", List.of(), NOW, 2)));
        ImagesViewModel.Row row = vm.takePendingSelection();
        assertThat(row.image().id()).isEqualTo(built);
        // an untagged build is dangling and filtered out: both are cleared so that it shows
        assertThat(vm.filterProperty().get()).isEmpty();
        assertThat(vm.showDanglingProperty().get()).isTrue();
        assertThat(vm.visibleRows()).contains(row);
        assertThat(vm.pendingSelectionProperty().get()).isNull();
        assertThat(vm.takePendingSelection()).isNull();
    }
}
