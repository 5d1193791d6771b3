package dev.berth.app.shell;

import dev.berth.app.backend.Backend;
import dev.berth.app.i18n.Localization;
import dev.berth.app.settings.Settings;
import dev.berth.app.settings.SettingsStore;
import dev.berth.app.settings.SettingsViewModel;
import dev.berth.app.task.UiExecutor;
import dev.berth.app.theme.ThemeManager;
import dev.berth.ui.UiResources;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The UI's composition root: loads the settings, builds localization, theme, the task
 * executor, the main window's view model and view, shows them on a stage, and starts looking
 * for the engine. {@link #close()} stops the event stream, the engine (when embedded) and the
 * background threads.
 */
public final class AppShell implements AutoCloseable {

    public static final double WIDTH = 1280;
    public static final double HEIGHT = 800;

    private final Localization i18n;
    private final ThemeManager themes;
    private final UiExecutor executor;
    private final MainWindowViewModel viewModel;
    private final MainWindowView view;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Scene scene;

    /** Builds the window's model and view; call {@link #show} on the JavaFX thread. */
    public AppShell(SettingsStore store) {
        Settings settings = store.load();
        this.i18n = new Localization(settings.language());
        this.themes = new ThemeManager(settings.theme());
        this.executor = UiExecutor.forJavaFx();
        SettingsViewModel settingsVm = new SettingsViewModel(i18n.languageProperty(), themes.themeProperty(), store, executor);
        this.viewModel = new MainWindowViewModel(executor, i18n, settingsVm);
        this.view = new MainWindowView(viewModel, i18n);
    }

    /** Shows the window on {@code stage} and connects with {@code connect} in the background. */
    public void show(Stage stage, Callable<Backend> connect) {
        Instant launched = Instant.now();
        scene = new Scene(view.root(), WIDTH, HEIGHT);
        themes.manage(scene);
        stage.titleProperty().bind(i18n.text("app.title"));
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            stage.getIcons().add(new Image(UiResources.logo(size)));
        }
        stage.setMinWidth(900);
        stage.setMinHeight(560);
        stage.setScene(scene);
        stage.show();
        // events from a second before the launch on, so the embedded engine's own start shows
        viewModel.start(connect, launched.minusSeconds(1));
    }

    public Localization localization() {
        return i18n;
    }

    public ThemeManager themes() {
        return themes;
    }

    /** The window's view (tests reach the panes' nodes through it). */
    public MainWindowView view() {
        return view;
    }

    public MainWindowViewModel viewModel() {
        return viewModel;
    }

    public Scene scene() {
        return scene;
    }

    /** Idempotent: the window's close and the JVM's shutdown hook may both call it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (javafx.application.Platform.isFxApplicationThread()) {
                view.close(); // terminals and log streams; from a shutdown hook the engine's close ends them
            }
            viewModel.close();
        } finally {
            executor.close();
        }
    }
}
