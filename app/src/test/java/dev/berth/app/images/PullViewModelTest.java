package dev.berth.app.images;

import dev.berth.app.backend.EmbeddedBackend;
import dev.berth.app.task.UiExecutor;
import dev.berth.engine.EngineConfig;
import dev.berth.testkit.BusyboxImage;
import dev.berth.testkit.Layer;
import dev.berth.testkit.LocalRegistry;
import dev.berth.testkit.WithRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pull dialog's model without a window, on a real embedded engine and registry; a
 * single-threaded executor stands in for the JavaFX thread.
 */
@WithRegistry
class PullViewModelTest {

    LocalRegistry registry;

    @TempDir
    Path tmp;

    private final ExecutorService uiThread = Executors.newSingleThreadExecutor();
    private UiExecutor executor;
    private EmbeddedBackend backend;

    @BeforeEach
    void start() {
        executor = new UiExecutor(uiThread);
        backend = EmbeddedBackend.start(new EngineConfig(tmp.resolve("root"), tmp.resolve("b.sock")), true);
    }

    @AfterEach
    void stop() {
        backend.close();
        executor.close();
        uiThread.shutdownNow();
    }

    private <T> T onUi(Callable<T> read) throws Exception {
        return uiThread.submit(read).get(10, TimeUnit.SECONDS);
    }

    private void waitFor(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!onUi(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void cancelInterruptsAPullMidDownloadAndSaysSo() throws Exception {
        byte[] noise = new byte[48 << 20];
        new Random(7).nextBytes(noise);
        BusyboxImage.builder().layer(Layer.builder().createdBy("COPY noise /").file("noise.bin", noise).build())
                .build(tmp.resolve("big")).pushTo(registry, "big/noise:1");
        PullViewModel vm = onUi(() -> new PullViewModel(executor, backend));
        onUi(() -> {
            vm.referenceProperty().set(registry.host() + "/big/noise:1");
            return null;
        });
        waitFor(() -> vm.validationProperty().get() == null);
        java.util.concurrent.atomic.AtomicBoolean cancelOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        onUi(() -> {
            vm.layers().addListener((javafx.collections.ListChangeListener<PullProgressModel.Layer>) c -> {
                if (vm.layers().stream().anyMatch(l -> l.phase() == ImageProgress.Phase.DOWNLOADING)
                        && cancelOnce.getAndSet(false)) {
                    vm.cancel();
                }
            });
            vm.pull();
            return null;
        });
        waitFor(() -> vm.stateProperty().get() != PullViewModel.State.PULLING);
        assertThat(onUi(() -> vm.stateProperty().get())).isEqualTo(PullViewModel.State.CANCELLED);
        assertThat(onUi(() -> vm.messageProperty().get().key())).isEqualTo("pull.cancelled");
        assertThat(ImagesClient.of(backend).list()).isEmpty();
        // the status bar's task is gone once the pull stopped
        waitFor(() -> executor.runningTasks().isEmpty());

        // pulling again completes, every layer done and the bar full
        onUi(() -> {
            vm.pull();
            return null;
        });
        waitFor(() -> vm.stateProperty().get() != PullViewModel.State.PULLING);
        assertThat(onUi(() -> vm.stateProperty().get())).isEqualTo(PullViewModel.State.DONE);
        assertThat(onUi(() -> vm.overallProperty().get())).isEqualTo(1.0);
        assertThat(onUi(() -> vm.layers().stream().allMatch(l -> l.phase().finished()))).isTrue();
        assertThat(ImagesClient.of(backend).list()).singleElement().satisfies(s -> assertThat(s.id()).isEqualTo(vm.pulledId()));
    }

    @Test
    void anUnreachableRegistryIsSaidInPlainWords() throws Exception {
        PullViewModel vm = onUi(() -> new PullViewModel(executor, backend));
        onUi(() -> {
            // a port nothing listens on (the registry's own, plus one, is not guaranteed free: use port 1)
            vm.referenceProperty().set("127.0.0.1:1/nothing/here:1");
            return null;
        });
        waitFor(() -> vm.validationProperty().get() == null);
        onUi(() -> {
            vm.pull();
            return null;
        });
        waitFor(() -> vm.stateProperty().get() != PullViewModel.State.PULLING);
        assertThat(onUi(() -> vm.stateProperty().get())).isEqualTo(PullViewModel.State.FAILED);
        assertThat(onUi(() -> vm.messageProperty().get().key())).isEqualTo("pull.error.unreachable");
        assertThat(onUi(() -> vm.authRequiredProperty().get())).isFalse();
    }
}
