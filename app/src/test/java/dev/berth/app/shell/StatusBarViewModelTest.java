package dev.berth.app.shell;

import dev.berth.app.backend.Connection;
import dev.berth.app.backend.DockerHost;
import dev.berth.app.backend.EngineInfo;
import dev.berth.app.backend.EngineVersion;
import dev.berth.app.i18n.Language;
import dev.berth.app.i18n.Localization;
import dev.berth.app.i18n.Text;
import dev.berth.app.task.BackgroundTask;
import dev.berth.app.task.UiExecutor;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The status bar's texts without a window, in both languages. */
class StatusBarViewModelTest {

    private final Localization i18n = new Localization(Language.ENGLISH);
    private final SimpleObjectProperty<EngineState> state = new SimpleObjectProperty<>(new EngineState.Starting());
    private final SimpleObjectProperty<EngineVersion> version = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<EngineInfo> info = new SimpleObjectProperty<>();
    private final ObservableList<BackgroundTask> tasks = FXCollections.observableArrayList();
    private final StatusBarViewModel vm = new StatusBarViewModel(i18n, state, version, info, tasks);

    private static EngineInfo info(String runtime) {
        return new EngineInfo("id", "host", "0.1.0", runtime, "Debian", "6.1", "x86_64", 2, 1L << 30, "overlayfs",
                "/var/lib/berth", "1", 0, 0, 0, 0, 0);
    }

    @Test
    void engineStateReadsAsASentenceWithItsStyle() {
        assertThat(vm.engineText().get()).isEqualTo("Starting the engine…");
        assertThat(vm.engineStyle().get()).isEqualTo("state-starting");

        state.set(new EngineState.Ready(new Connection.Embedded(Path.of("/r"), Path.of("/run/berth/berth.sock"), Optional.empty())));
        assertThat(vm.engineText().get()).isEqualTo("Embedded engine, serving unix:///run/berth/berth.sock");
        assertThat(vm.engineStyle().get()).isEqualTo("state-running");
        assertThat(vm.socketWarning().get()).isEmpty();
        assertThat(vm.dockerHint().get()).isEqualTo("Drive this engine from a terminal: docker -H unix:///run/berth/berth.sock ps");

        state.set(new EngineState.Ready(new Connection.Embedded(Path.of("/r"), Path.of("/s"), Optional.of("address already in use"))));
        assertThat(vm.engineStyle().get()).isEqualTo("state-warning");
        assertThat(vm.socketWarning().get()).isEqualTo("The docker CLI cannot reach this engine: address already in use");
        assertThat(vm.dockerHint().get()).isEmpty();

        state.set(new EngineState.Ready(new Connection.Remote(new DockerHost.Unix(Path.of("/var/run/docker.sock")))));
        assertThat(vm.engineText().get()).isEqualTo("Connected to unix:///var/run/docker.sock");

        state.set(new EngineState.Unavailable(Text.of("error.conflict", "another engine owns /var/lib/berth")));
        assertThat(vm.engineText().get()).isEqualTo("Engine unavailable: Conflict: another engine owns /var/lib/berth");
        assertThat(vm.engineStyle().get()).isEqualTo("state-unavailable");
        i18n.languageProperty().set(Language.SIMPLIFIED_CHINESE);
        assertThat(vm.engineText().get()).isEqualTo("引擎不可用：冲突：another engine owns /var/lib/berth");
    }

    @Test
    void runtimeAndVersionComeFromTheBackendsRecords() {
        assertThat(vm.runtimeText().get()).isEmpty();
        assertThat(vm.versionText().get()).isEmpty();
        info.set(info("runc 1.1.5"));
        version.set(new EngineVersion("Berth", "0.1.0", "1.47", "abc", "linux", "x86_64", "6.1"));
        assertThat(vm.runtimeText().get()).isEqualTo("runc 1.1.5");
        assertThat(vm.versionText().get()).isEqualTo("Berth 0.1.0 · API 1.47");
        info.set(info(""));
        assertThat(vm.runtimeText().get()).isEqualTo("No working OCI runtime");
    }

    @Test
    void backgroundTasksFromTheExecutorAreCountedAndNamed() throws Exception {
        // the executor's list feeds the status bar; a single thread stands in for the JavaFX thread
        ExecutorService ui = Executors.newSingleThreadExecutor();
        try (UiExecutor executor = new UiExecutor(ui)) {
            StatusBarViewModel bar = new StatusBarViewModel(i18n, state, version, info, executor.runningTasks());
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(2);
            executor.submit(Text.of("task.readInfo"), () -> release.await(10, TimeUnit.SECONDS), r -> done.countDown(), e -> done.countDown());
            executor.submit(Text.of("task.saveSettings"), () -> release.await(10, TimeUnit.SECONDS), r -> done.countDown(), e -> done.countDown());
            assertThat(ui.submit(() -> bar.tasksRunning().get()).get()).isTrue();
            assertThat(ui.submit(() -> bar.tasksText().get()).get())
                    .isEqualTo("2 background tasks: Reading engine information, Saving settings");
            release.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ui.submit(() -> bar.tasksRunning().get()).get()).isFalse();
            assertThat(ui.submit(() -> bar.tasksText().get()).get()).isEmpty();
        } finally {
            ui.shutdownNow();
        }
    }
}
